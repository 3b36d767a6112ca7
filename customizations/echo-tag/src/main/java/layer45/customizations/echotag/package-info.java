/**
 * The echo tag pair: the first Layer 4.5 sample module, as a layer45 customization bundle.
 *
 * <p>On send it wraps every chunk the application writes in {@code <start>} and {@code <end>}; on receive it takes
 * the frames apart again, across chunk boundaries, and delivers only what was inside. Loaded on both ends (or on
 * the client of an echo server), the applications see exactly their own bytes while the wire carries tags.
 * Private: the bundle exports nothing and only registers its customization services.
 */
package layer45.customizations.echotag;
