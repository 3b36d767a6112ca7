/**
 * Tags on a fixed schedule in a byte stream: every {@code interval} data bytes, one tag. Inserting them, checking
 * them and stripping them across chunk boundaries. Shared by the bulk tag and TLS tag bundles (each carries a
 * private copy); exported by neither.
 */
package layer45.customizations.bulktag.stream;
