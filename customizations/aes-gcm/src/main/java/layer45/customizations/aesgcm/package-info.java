/**
 * The AES-GCM pair: an encrypting customization that really protects a flow, where the original Layer 4.5 samples
 * had a Caesar shift and an XOR.
 *
 * <p>Each direction of a flow is a header with a random salt and then AES-256-GCM records (TCP) or one record per
 * datagram (UDP), with keys derived per flow and direction and the record number as nonce; see
 * {@link layer45.customizations.aesgcm.WireFormat}. Private: the bundle exports nothing and only registers its
 * customization services.
 */
package layer45.customizations.aesgcm;
