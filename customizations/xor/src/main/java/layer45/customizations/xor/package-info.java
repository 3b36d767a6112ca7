/**
 * The XOR pair: the original Layer 4.5 {@code qd} sample modules, as a layer45 customization bundle.
 *
 * <p>Both modules XOR what their application sends and what it receives with a repeating key that continues
 * across chunks, so the wire carries scrambled bytes and the applications see their own. Private: the bundle
 * exports nothing and only registers its customization services.
 */
package layer45.customizations.xor;
