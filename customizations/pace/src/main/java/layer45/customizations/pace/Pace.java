package layer45.customizations.pace;

import java.lang.System.Logger.Level;
import java.util.concurrent.TimeUnit;

import layer45.api.Chunk;
import layer45.api.Customization;
import layer45.api.CustomizationService;
import layer45.api.Flow;
import layer45.api.Output;
import layer45.api.Transport;
import layer45.api.Verdict;
import layer45.api.runtime.CustomizationRuntime;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Paces what an application sends: waits before letting each chunk go, a fixed delay and/or as long as a token bucket
 * per flow needs to hold a rate. The port of the original's web server modules ({@code activate_web_server} waits
 * 100 ms per send, {@code deprecate_web_server} 1 s, {@code rate_limit_30_sec} 30 s), parameterized.
 *
 * <h2>Never past the call budget</h2>
 * The runtime counts a call that runs longer than its call budget ({@code call.budget.ms}, 1 s by default) as a
 * fault and aborts the flow. So one call waits at most a quarter of the budget (read from the
 * {@link CustomizationRuntime} service when a flow starts; 250 ms without it). A longer wait is cut to that: a delay
 * above it becomes it, and the rest of a rate wait stays in the bucket as debt, which the following chunks wait off.
 * The API offers no way to be called back later, so bytes cannot be held for a timed release, and waiting is the only
 * means: a flow whose single chunks need more than the cap runs faster than its rate, and the waiting thread (the
 * stack's, and the flow's other direction) is blocked meanwhile. The README states these limits.
 *
 * <p>Once it has waited, the chunk passes unchanged and the chain stops ({@code NO_CUSTOMIZATION}), as in the
 * original: of several pace modules on a flow, the first in priority order sets the pace. With {@code pass.to.next}
 * the next module decides for the chunk instead. Received chunks are left to the next module, never delayed.
 */
@Component(name = "pace", service = Customization.class)
@Designate(ocd = Pace.Config.class)
@CustomizationService(protocol = Transport.TCP, local_port = "8080")
public final class Pace implements Customization {

    /** The pace, from the component's configuration. */
    @ObjectClassDefinition(name = "layer45 pace", description = "Delays and rate-limits what the application sends")
    public @interface Config {
        /** @return the delay per chunk */
        @AttributeDefinition(name = "Delay per chunk (ms)", min = "0",
                description = "Wait before each chunk sent; 0 for none. At most a quarter of call.budget.ms is waited")
        long delay_ms() default 100;

        /** @return the rate */
        @AttributeDefinition(name = "Rate (bytes/s)", min = "0",
                description = "Token bucket rate per flow; 0 for no rate limit")
        long rate_bytes_per_s() default 0;

        /** @return the bucket size */
        @AttributeDefinition(name = "Burst (bytes)", min = "1",
                description = "Token bucket size: what a flow may send at once after being idle")
        long burst_bytes() default 65536;

        /** @return whether the next module decides after the wait */
        @AttributeDefinition(name = "Pass to next module",
                description = "After waiting, let the next module decide for the chunk instead of passing it unchanged")
        boolean pass_to_next() default false;
    }

    /** The runtime's setting the cap derives from, as in {@code conf/layer45.conf}. */
    static final String CALL_BUDGET_MS = "call.budget.ms";
    /** The call budget assumed without the runtime service: the runtime's default. */
    static final long DEFAULT_CALL_BUDGET_MS = 1000;

    private static final System.Logger LOG = System.getLogger("layer45.customizations.pace");

    private final PaceClock clock;
    private volatile PacePolicy policy = new PacePolicy(TimeUnit.MILLISECONDS.toNanos(100), 0, 65536, false);
    private volatile CustomizationRuntime runtime;
    /** Whether a cut wait was reported since the last configuration: once is enough to tell the operator. */
    private volatile boolean cutReported;

    /** Creates the module on the system clock. */
    public Pace() {
        this(PaceClock.SYSTEM);
    }

    Pace(PaceClock clock) {
        this.clock = clock;
    }

    /** @param config the pace; open flows follow from their next chunk */
    @Activate
    @Modified
    void configure(Config config) {
        PacePolicy next = PacePolicy.from(config);
        policy = next;
        cutReported = false;
        long capMillis = TimeUnit.NANOSECONDS.toMillis(waitCapNanos());
        if (config.delay_ms() > capMillis) {
            LOG.log(Level.WARNING, () -> "pace: delay.ms=" + config.delay_ms() + " is more than one call may wait ("
                    + capMillis + " ms, a quarter of " + CALL_BUDGET_MS + "); each chunk waits " + capMillis
                    + " ms. Raise " + CALL_BUDGET_MS + " to " + 4 * config.delay_ms() + " or more for the full delay");
        }
    }

    /** @param runtime the runtime, whose call budget caps the waits */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unsetRuntime")
    void setRuntime(CustomizationRuntime runtime) {
        this.runtime = runtime;
    }

    /** @param runtime the runtime going away */
    void unsetRuntime(CustomizationRuntime runtime) {
        if (this.runtime == runtime) {
            this.runtime = null;
        }
    }

    @Override
    public Verdict send(Chunk source, Output output, Flow flow) {
        PacePolicy p = policy;
        int bytes = source.remaining();
        if (bytes > 0) {
            FlowPace pace = flow.state(FlowPace::new);
            if (pace.capNanos < 0) {
                pace.capNanos = waitCapNanos();
            }
            long wanted = p.delayNanos();
            if (p.limitsRate()) {
                wanted = Math.max(wanted,
                        pace.bucket.take(bytes, clock.nanoTime(), p.rateBytesPerSecond(), p.burstBytes()));
            }
            long wait = Math.min(wanted, pace.capNanos);
            if (wanted > wait) {
                reportCut(flow.id(), bytes, wanted, wait);
            }
            sleep(wait);
        }
        return p.passToNext() ? Verdict.TRY_NEXT : Verdict.NO_CUSTOMIZATION;
    }

    @Override
    public Verdict recv(Chunk source, Output output, Flow flow) {
        return Verdict.TRY_NEXT; // what arrives is not paced
    }

    /** @return the longest one call may wait: a quarter of the runtime's call budget, well clear of the watchdog */
    long waitCapNanos() {
        long budgetMillis = DEFAULT_CALL_BUDGET_MS;
        CustomizationRuntime r = runtime;
        if (r != null && r.settings().get(CALL_BUDGET_MS) instanceof Number n && n.longValue() > 0) {
            budgetMillis = n.longValue();
        }
        return TimeUnit.MILLISECONDS.toNanos(budgetMillis) / 4;
    }

    private void sleep(long nanos) {
        if (nanos <= 0) {
            return;
        }
        try {
            clock.sleep(nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the thread's owner is stopping it: the chunk goes now
        }
    }

    private void reportCut(long flowId, int bytes, long wantedNanos, long waitNanos) {
        if (cutReported) {
            return;
        }
        cutReported = true;
        LOG.log(Level.INFO, () -> "pace: a " + bytes + "-byte chunk on flow " + flowId + " needs a wait of "
                + TimeUnit.NANOSECONDS.toMillis(wantedNanos) + " ms; one call waits at most "
                + TimeUnit.NANOSECONDS.toMillis(waitNanos) + " ms (a quarter of " + CALL_BUDGET_MS
                + "), so flows like it run faster than configured. Raise " + CALL_BUDGET_MS
                + " or lower the delay; reported once per configuration");
    }

    /** Per-flow state: the wait cap, taken when the flow's first chunk is sent, and the flow's token bucket. */
    private static final class FlowPace {
        private final TokenBucket bucket = new TokenBucket();
        private long capNanos = -1;
    }
}
