/**
 * The target of a customization module: which flows it attaches to, parsed from the {@code layer45.*} service
 * properties that {@link layer45.api.CustomizationService} defines.
 *
 * <p>{@link layer45.runtime.target.Target#parse(java.util.Map)} turns the properties into a
 * {@link layer45.runtime.target.Target}, reporting every malformed value at once, so the runtime can refuse a
 * module with the whole reason instead of guessing. The parts are {@link layer45.runtime.target.NamePattern}
 * (task names), {@link layer45.runtime.target.AddressPrefix} (CIDR prefixes) and
 * {@link layer45.runtime.target.PortSet} (ports and ranges). Parsing never touches the name service, and
 * matching a flow never throws. Private to the runtime bundle.
 */
package layer45.runtime.target;
