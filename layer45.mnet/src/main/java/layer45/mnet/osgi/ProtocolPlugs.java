package layer45.mnet.osgi;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import layer45.mnet.NetworkProtocolHandler;
import layer45.mnet.loop.RunningStack;
import layer45.mnet.mhost.HostTable;
import layer45.mnet.wire.IpCidr;
import layer45.mnet.wire.Ipv6Address;

/**
 * The {@link NetworkProtocolHandler} services a component binds, plugged into each of its stacks whose device can
 * carry them, and announced to the host-identifier table ({@link HostTable#protocolCarried}) so that mhost
 * translations skip a protocol no stack carries. Why a handler was not plugged into a stack is logged, and counted
 * by the stack under {@code protocols}.
 *
 * <p>A stack may have its own addresses on a protocol (a peer link's {@code demo:fd4d::1}); otherwise it takes the
 * handler's ({@link layer45.mnet.NetworkProtocolService#addresses()}). Any thread; changes are serialized.
 */
final class ProtocolPlugs {

    private static final System.Logger LOG = System.getLogger("layer45.mnet");

    /** A bound handler and its service properties. */
    private record Handler(NetworkProtocolHandler handler, Map<String, Object> properties) {
    }

    /** A stack, its name for logs, and its own addresses on plugged-in protocols by protocol name. */
    private record Stack(RunningStack stack, String name, Map<String, List<Ipv6Address>> ownAddresses) {
    }

    private final List<Handler> handlers = new CopyOnWriteArrayList<>();
    private final List<Stack> stacks = new ArrayList<>();
    private HostTable hosts;

    /**
     * Plugs a new handler into every stack that can carry it.
     *
     * @param handler the protocol
     * @param properties its service properties ({@link layer45.mnet.NetworkProtocolService})
     */
    synchronized void addHandler(NetworkProtocolHandler handler, Map<String, Object> properties) {
        Handler added = new Handler(handler, properties);
        handlers.add(added);
        for (Stack stack : stacks) {
            plug(stack, added);
        }
    }

    /** @param handler a protocol going away: unplugged from every stack, its flows there end */
    synchronized void removeHandler(NetworkProtocolHandler handler) {
        handlers.removeIf(h -> h.handler() == handler);
        for (Stack stack : stacks) {
            if (stack.stack().unplug(handler)) {
                announce(handler.name(), stack, false);
                LOG.log(Level.INFO, "layer45: network protocol " + handler.name() + " unplugged from " + stack.name());
            }
        }
    }

    /**
     * Plugs every bound handler into a new stack.
     *
     * @param stack the stack
     * @param name its name for logs
     * @param ownAddresses its own addresses on plugged-in protocols, by protocol name (instead of the handler's)
     */
    synchronized void addStack(RunningStack stack, String name, Map<String, List<Ipv6Address>> ownAddresses) {
        Stack added = new Stack(stack, name, Map.copyOf(ownAddresses));
        stacks.add(added);
        for (Handler handler : handlers) {
            plug(added, handler);
        }
    }

    /** @param stack a stack about to close: it carries nothing any more */
    synchronized void removeStack(RunningStack stack) {
        for (Stack s : stacks) {
            if (s.stack() == stack) {
                stacks.remove(s);
                for (Handler handler : handlers) {
                    announce(handler.handler().name(), s, false);
                }
                return;
            }
        }
    }

    /**
     * @param table the host-identifier table, or {@code null} when it goes; told at once what the stacks carry
     */
    synchronized void hosts(HostTable table) {
        hosts = table;
        for (Stack stack : stacks) {
            List<String> carried = stack.stack().protocolNames();
            for (Handler handler : handlers) {
                announce(handler.handler().name(), stack, carried.contains(handler.handler().name()));
            }
        }
    }

    private void plug(Stack stack, Handler plugged) {
        NetworkProtocolHandler handler = plugged.handler();
        String protocol;
        List<Ipv6Address> addresses;
        List<IpCidr> routes;
        try {
            protocol = handler.name();
            addresses = stack.ownAddresses().getOrDefault(protocol,
                    strings(plugged.properties().get("layer45.mnet.addresses")).stream().map(Ipv6Address::parse)
                            .toList());
            routes = strings(plugged.properties().get("layer45.mnet.routes")).stream().map(IpCidr::parse).toList();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "layer45: network protocol " + handler.getClass().getName() + " refused by "
                    + stack.name() + ": " + e.getMessage() + "; fix its addresses and routes (layer45.mnet.*)", e);
            return;
        }
        String notPlugged = stack.stack().plug(handler, addresses, routes);
        if (notPlugged != null) {
            LOG.log(Level.INFO, "layer45: network protocol " + protocol + " not plugged into " + stack.name() + ": "
                    + notPlugged);
            return;
        }
        announce(protocol, stack, true);
        LOG.log(Level.INFO, "layer45: network protocol " + protocol + " plugged into " + stack.name()
                + ": addresses " + addresses + ", routes " + routes);
    }

    private void announce(String protocol, Stack stack, boolean carried) {
        if (hosts != null) {
            hosts.protocolCarried(protocol, stack.stack(), carried);
        }
    }

    /** @return the items of a service property that is a string, an array of strings or a collection */
    static List<String> strings(Object value) {
        if (value instanceof String text) {
            return List.of(text);
        }
        if (value instanceof String[] texts) {
            return List.of(texts);
        }
        if (value instanceof java.util.Collection<?> items) {
            return items.stream().map(String::valueOf).toList();
        }
        return List.of();
    }
}
