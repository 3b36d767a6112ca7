package layer45.runtime.flow;

import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import layer45.api.FlowInfo;
import layer45.api.runtime.CountersDTO;
import layer45.api.runtime.FlowDTO;
import layer45.api.spi.FlowControl;
import layer45.runtime.config.RuntimeSettings;
import layer45.runtime.module.Module;
import layer45.runtime.module.ModuleRegistry;
import layer45.runtime.stats.Counters;
import layer45.runtime.view.BufferPool;

/** The open flows, and what they share: the registry, the output pool, the settings, runtime-wide counters. */
public final class FlowTable {

    private static final System.Logger LOG = System.getLogger("layer45.runtime");

    private final ModuleRegistry registry;
    private final BufferPool pool = new BufferPool();
    private final ConcurrentHashMap<Long, RuntimeFlow> flows = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final LongAdder aborted = new LongAdder();
    private final LongAdder autoDeactivations = new LongAdder();
    private final Counters closedSend = new Counters();
    private final Counters closedRecv = new Counters();
    private volatile RuntimeSettings settings;

    /**
     * @param registry the modules flows attach
     * @param settings limits and budgets
     */
    public FlowTable(ModuleRegistry registry, RuntimeSettings settings) {
        this.registry = registry;
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /**
     * Opens a flow and attaches the modules that match it.
     *
     * @param info the flow's facts
     * @param control how to abort it
     * @return the flow
     */
    public RuntimeFlow open(FlowInfo info, FlowControl control) {
        Objects.requireNonNull(info, "info");
        Objects.requireNonNull(control, "control");
        RuntimeFlow flow = new RuntimeFlow(this, ids.incrementAndGet(), info, control, registry.sequence());
        flow.attachInitial();
        flows.put(flow.id(), flow);
        return flow;
    }

    /** @return the settings in force */
    public RuntimeSettings settings() {
        return settings;
    }

    /** @param settings new settings; open flows use them from their next chunk */
    public void settings(RuntimeSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    ModuleRegistry registry() {
        return registry;
    }

    BufferPool pool() {
        return pool;
    }

    /** @return the open flows, oldest first, as DTOs */
    public List<FlowDTO> toDTOs() {
        return flows.values().stream().sorted(Comparator.comparingLong(RuntimeFlow::id)).map(RuntimeFlow::toDTO)
                .toList();
    }

    /** @return the number of open flows */
    public int openCount() {
        return flows.size();
    }

    /** @return flows opened since start */
    public long openedCount() {
        return ids.get();
    }

    /** @return flows aborted since start */
    public long abortedCount() {
        return aborted.sum();
    }

    /** @return modules deactivated for exceeding their fault budget since start */
    public long autoDeactivationCount() {
        return autoDeactivations.sum();
    }

    /**
     * @param send receives the send counters summed over closed and open flows
     * @param recv receives the receive counters summed likewise
     */
    public void sumCounters(CountersDTO send, CountersDTO recv) {
        synchronized (this) {
            closedSend.sumInto(send);
            closedRecv.sumInto(recv);
        }
        for (RuntimeFlow flow : flows.values()) {
            flow.sumCounters(send, recv);
        }
    }

    /** Checks every call in progress against the time budget; run by the watchdog. */
    void checkCallBudgets() {
        long budget = settings.callBudgetMillis() * 1_000_000;
        long now = System.nanoTime();
        for (RuntimeFlow flow : flows.values()) {
            flow.checkCallBudget(now, budget);
        }
    }

    void closed(RuntimeFlow flow, Counters send, Counters recv) {
        if (flows.remove(flow.id(), flow)) {
            synchronized (this) {
                send.addTo(closedSend);
                recv.addTo(closedRecv);
            }
        }
    }

    void flowAborted() {
        aborted.increment();
    }

    /** Counts a fault against a module, which may deactivate it; logs both. */
    void moduleFault(Module module, String problem, RuntimeFlow flow) {
        String deactivated = module.recordFault(problem, System.currentTimeMillis());
        LOG.log(Level.WARNING, "module ''{0}'' {1}; aborting {2}", module.name(), problem, flow);
        if (deactivated != null) {
            autoDeactivations.increment();
            LOG.log(Level.ERROR, "module ''{0}'' {1}", module.name(), deactivated);
        }
    }

    /** @return an address and port as operators write them: IPv6 in brackets, in its short form (RFC 5952) */
    static String format(InetSocketAddress address) {
        if (address.getAddress() instanceof java.net.Inet6Address v6) {
            return "[" + shortForm(v6.getAddress()) + "]:" + address.getPort();
        }
        return address.getAddress().getHostAddress() + ":" + address.getPort();
    }

    /** RFC 5952: lower-case hex, no leading zeros, the longest run of two or more zero groups as "::". */
    static String shortForm(byte[] bytes) {
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = (bytes[2 * i] & 0xFF) << 8 | bytes[2 * i + 1] & 0xFF;
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                text.append("::");
                i += bestLength - 1;
                continue;
            }
            if (text.length() > 0 && text.charAt(text.length() - 1) != ':') {
                text.append(':');
            }
            text.append(Integer.toHexString(groups[i]));
        }
        return text.toString();
    }
}
