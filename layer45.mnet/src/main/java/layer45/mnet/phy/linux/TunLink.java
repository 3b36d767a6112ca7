package layer45.mnet.phy.linux;

import java.lang.System.Logger.Level;
import java.util.Objects;

/**
 * The stack's TUN link, set up end to end: the device opened through {@link TunDevice}, moved into its network
 * namespace, named, sized and addressed with {@link LinkConfigurator}, and brought up with routes. Closing it
 * removes the device and the namespace it created.
 *
 * <p>The device is created in the runtime's namespace under a name the kernel picks ({@code l45t%d}) and renamed
 * once moved, so a link of the same name left in the runtime's namespace never collides.
 */
public final class TunLink implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger("layer45.mnet");

    private final TunDevice device;
    private final TunLinkOptions options;
    private final NetworkNamespace createdNamespace;

    private TunLink(TunDevice device, TunLinkOptions options, NetworkNamespace createdNamespace) {
        this.device = device;
        this.options = options;
        this.createdNamespace = createdNamespace;
    }

    /**
     * Sets the link up.
     *
     * @param options where and how
     * @param ip runs the configuration commands
     * @return the link, up
     * @throws TunException if the device cannot be created (no privilege, no {@code /dev/net/tun})
     * @throws CommandFailedException if configuring it fails (the message says which command and why); nothing is
     *         left behind
     */
    public static TunLink open(TunLinkOptions options, LinkConfigurator ip) throws TunException {
        Objects.requireNonNull(ip, "ip");
        NetworkNamespace created = null;
        String namespace = options.namespace();
        if (namespace != null && !NetworkNamespace.exists(namespace)) {
            created = NetworkNamespace.create(namespace);
        }
        TunDevice device = null;
        try {
            if (namespace != null && linkExists(namespace, options.name())) {
                throw new CommandFailedException("namespace " + namespace + " already has a link named "
                        + options.name() + ": is another layer45 runtime using it? Stop it, or set net.tun or"
                        + " net.netns to something else");
            }
            device = TunDevice.open(new TunOptions("l45t%d", options.mtu()));
            String kernelName = device.name();
            if (namespace != null) {
                ip.moveToNamespace(kernelName, namespace);
            }
            if (!kernelName.equals(options.name())) {
                ip.rename(namespace, kernelName, options.name());
            }
            ip.setMtu(namespace, options.name(), options.mtu());
            ip.setTxQueueLength(namespace, options.name(), options.txQueueLength());
            for (String address : options.peerAddresses()) {
                ip.addAddress(namespace, options.name(), address);
            }
            ip.up(namespace, options.name());
            if (options.defaultRoutes()) {
                for (String address : options.peerAddresses()) {
                    ip.addRoute(namespace, address.contains(":") ? "::/0" : "default", options.name());
                }
            }
            return new TunLink(device, options, created);
        } catch (TunException | RuntimeException e) {
            if (device != null) {
                device.close();
            }
            if (created != null) {
                deleteQuietly(created);
            }
            throw e;
        }
    }

    /** @return the device, for the stack */
    public TunDevice device() {
        return device;
    }

    /** @return how the link was set up */
    public TunLinkOptions options() {
        return options;
    }

    /** @return whether the namespace was created for this link (and is deleted with it) */
    public boolean createdNamespace() {
        return createdNamespace != null;
    }

    /** Closes the device (which removes it) and deletes the namespace if it was created for the link. */
    @Override
    public void close() {
        device.close();
        if (createdNamespace != null) {
            deleteQuietly(createdNamespace);
        }
    }

    @Override
    public String toString() {
        return "TUN link " + options.name() + (options.namespace() == null ? "" : " in netns " + options.namespace());
    }

    private static boolean linkExists(String namespace, String name) {
        CommandResult result = CommandRunner.processes().run(java.util.List.of(ProcessCommandRunner.ip(), "-n",
                namespace, "link", "show", "dev", name), java.time.Duration.ofSeconds(10));
        return result.succeeded();
    }

    private static void deleteQuietly(NetworkNamespace namespace) {
        try {
            namespace.close();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "mnet: could not delete " + namespace + " created for the TUN link; delete it"
                    + " with `ip netns del " + namespace.name() + "`", e);
        }
    }
}
