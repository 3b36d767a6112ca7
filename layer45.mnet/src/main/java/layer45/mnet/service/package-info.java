/**
 * Small services the stack runs on its own addresses, for tests, benchmarks and operators' checks: TCP echo
 * (RFC 862), discard (RFC 863), a bulk source (chargen-like) and a fixed reply (an HTTP response, for {@code curl}).
 */
package layer45.mnet.service;
