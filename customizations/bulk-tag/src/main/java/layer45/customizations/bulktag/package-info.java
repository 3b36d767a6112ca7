/**
 * The bulk tag pair: the original Layer 4.5 {@code bulk_client}/{@code bulk_server} (the
 * {@code overhead_test_bulk_file_*} experiment modules), as a layer45 customization bundle.
 *
 * <p>The server inserts a tag every interval of the stream it sends, the client strips the tags across chunk
 * boundaries. Per-flow state, so any number of downloads at once. Private: the bundle exports nothing and only
 * registers its customization services.
 */
package layer45.customizations.bulktag;
