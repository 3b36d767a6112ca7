/**
 * The TLS tag pair: the buffering branch's {@code overhead_test_tls_client}/{@code _server} modules, as a layer45
 * customization bundle.
 *
 * <p>The TLS server's side inserts a tag every interval of the ciphertext it sends; the client's side strips the
 * tags and hands its TLS stack whole records, holding partial ones back, so TLS works end to end through the tags.
 * Private: the bundle exports nothing and only registers its customization services.
 */
package layer45.customizations.tlstag;
