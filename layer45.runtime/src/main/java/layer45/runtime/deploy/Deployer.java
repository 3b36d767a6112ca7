package layer45.runtime.deploy;

import static layer45.api.runtime.ErrorCode.INVALID_PARAMETER;
import static layer45.api.runtime.ErrorCode.INVALID_STATE;
import static layer45.api.runtime.ErrorCode.REFUSED;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

import layer45.api.runtime.DeploymentDTO;
import layer45.api.runtime.DeploymentService;
import layer45.api.runtime.DeploymentState;
import layer45.api.runtime.Layer45Exception;
import layer45.runtime.Layer45Runtime;
import layer45.runtime.config.AutoloadSettings;
import layer45.runtime.config.SigningSettings;
import layer45.runtime.module.Module;
import layer45.runtime.module.ModuleOrigin;
import layer45.runtime.module.Refusal;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.namespace.PackageNamespace;
import org.osgi.framework.wiring.BundleWire;
import org.osgi.framework.wiring.BundleWiring;

/**
 * Loads customization jars: those in the autoload folder, and those an operator installs with {@code insmod}.
 *
 * <p>Everything happens on one thread, in order: scanning the folder, installing, starting and settling a jar,
 * draining replaced ones. A jar is loaded in steps, and refused at the first that fails, with the reason:
 * <ol>
 * <li>read: a jar, with a manifest that makes it a bundle;</li>
 * <li>checked: signed by a trusted signer, or unsigned where the operator allows it, which taints the runtime
 *     ({@link JarSignatures});</li>
 * <li>installed under {@code layer45:<origin>:<path>#<sha256>} (the same content is the same bundle);</li>
 * <li>started, which resolves it against this runtime's API (a jar built for another API version fails here, the
 *     analogue of a kernel module's vermagic mismatch);</li>
 * <li>settled: its customization components register and are accepted by the runtime within the settle time.</li>
 * </ol>
 * A refused jar is uninstalled again and nothing else changes; the reason stays for {@code lsmod} until the jar is
 * replaced or removed.
 *
 * <p>A changed jar is loaded next to the old one. When the new version's modules are accepted, they take over the
 * names and new flows, and the old version's modules retire: deprecated, they keep customizing their flows until
 * those close (or the drain time runs out), and then the old bundle is uninstalled. A removed jar drains the same
 * way. Jars installed with {@code insmod} are not kept across restarts (as kernel modules are not); the autoload
 * folder is reconciled at every start.
 */
public final class Deployer implements DeploymentService, ModuleSignatures, AutoCloseable {

    private static final System.Logger LOG = System.getLogger("layer45.runtime");

    private record Key(Origin origin, Path source) {
    }

    private static final String CUSTOMIZATIONS_REFUSED = "its customizations were refused: ";

    private final BundleContext context;
    private final Layer45Runtime runtime;
    private final ModuleConfigurator configurator;
    private final ScheduledExecutorService thread;
    private final String apiVersion;
    /** What is loaded (or refused, if nothing is) for each jar. */
    private final Map<Key, Deployment> current = new ConcurrentHashMap<>();
    /** A newer version of a jar that was refused while its older version stays loaded. */
    private final Map<Key, Deployment> refusedReplacements = new ConcurrentHashMap<>();
    private final List<Deployment> draining = new CopyOnWriteArrayList<>();
    /** Who signed each loaded jar's bundle ("" unsigned). */
    private final Map<Long, Signature> signatures = new ConcurrentHashMap<>();
    private volatile AutoloadSettings settings;
    private volatile SigningSettings signing;
    private volatile String taint = "";
    private volatile Runnable signaturesChanged = () -> {
    };
    private volatile boolean running = true;
    private AutoloadWatcher watcher;

    /**
     * @param context the runtime bundle's context, to install bundles with
     * @param runtime the runtime the jars' modules load into
     * @param configurator where modules' own configuration goes
     * @param settings the autoload folder and timings
     * @param signing which signatures jars must carry
     */
    public Deployer(BundleContext context, Layer45Runtime runtime, ModuleConfigurator configurator,
            AutoloadSettings settings, SigningSettings signing) {
        this.context = context;
        this.runtime = runtime;
        this.configurator = configurator;
        this.settings = settings;
        this.signing = signing;
        this.apiVersion = providedApiVersion(context);
        this.thread = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("layer45-deployer").factory());
    }

    /** Reconciles the autoload folder and starts watching it. */
    public void start() {
        thread.execute(this::scan);
    }

    /**
     * Applies new settings; a new folder is reconciled as at a start.
     *
     * @param next the settings
     */
    public void update(AutoloadSettings next) {
        AutoloadSettings before = settings;
        settings = next;
        if (!next.directory().equals(before.directory())) {
            LOG.log(Level.INFO, "layer45 autoload: the folder is now {0}", next.directory());
        }
    }

    /**
     * Applies a new signature policy to the jars loaded from now on; loaded ones stay.
     *
     * @param next the policy and trust store
     */
    public void update(SigningSettings next) {
        signing = next;
    }

    /** @return the signature policy in force */
    public SigningSettings signing() {
        return signing;
    }

    /** @param listener told (on the deployer thread) when a jar's signature was recorded or forgotten */
    public void onSignaturesChanged(Runnable listener) {
        signaturesChanged = listener;
    }

    @Override
    public String taint() {
        return taint;
    }

    @Override
    public String signer(long bundleId) {
        Signature signature = signatures.get(bundleId);
        return signature == null ? null : signature.signer();
    }

    /** @return the SHA-256 of every loaded unsigned jar */
    public List<String> unsignedJars() {
        List<String> unsigned = new ArrayList<>();
        for (Deployment d : current.values()) {
            Signature signature = d.bundle == null ? null : signatures.get(d.bundleId());
            if (signature != null && !signature.signed()) {
                unsigned.add(d.facts.sha256());
            }
        }
        return unsigned;
    }

    /** Stops watching; loaded jars stay as they are. */
    @Override
    public void close() {
        running = false;
        thread.shutdownNow();
        try {
            thread.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // DeploymentService
    // ---------------------------------------------------------------------------------------------------------

    @Override
    public DeploymentDTO install(String path, Map<String, String> parameters) {
        Path source = Path.of(path).toAbsolutePath().normalize();
        if (!Files.isRegularFile(source)) {
            throw new Layer45Exception(INVALID_PARAMETER, "there is no file " + source + "; give the path of a"
                    + " customization jar");
        }
        JarFacts facts;
        try {
            facts = JarFacts.read(source);
        } catch (Refused e) {
            throw new Layer45Exception(REFUSED, source.getFileName() + " refused: " + e.getMessage());
        }
        InsmodParameters parsed = InsmodParameters.parse(parameters, facts.moduleNames());
        Future<Deployment> loading = thread.submit(() -> deploy(new Key(Origin.INSMOD, source), facts, parsed));
        Deployment deployment = await(loading, source);
        if (deployment.state == DeploymentState.REFUSED) {
            throw new Layer45Exception(REFUSED, source.getFileName() + " refused: " + deployment.reason);
        }
        return deployment.toDTO(moduleNames(deployment));
    }

    @Override
    public List<DeploymentDTO> deployments() {
        List<Deployment> all = new ArrayList<>(current.values());
        all.addAll(refusedReplacements.values());
        all.addAll(draining);
        all.sort(Comparator.comparing((Deployment d) -> d.source.toString()).thenComparingLong(d -> d.time));
        return all.stream().map(d -> d.toDTO(moduleNames(d))).toList();
    }

    @Override
    public String autoloadDirectory() {
        return settings.directory().toString();
    }

    private Deployment await(Future<Deployment> loading, Path source) {
        try {
            return loading.get(settings.settleMillis() + 30_000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Layer45Exception layer45) {
                throw layer45;
            }
            throw new Layer45Exception(REFUSED, source.getFileName() + " refused: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new Layer45Exception(REFUSED, source.getFileName() + " is still loading after "
                    + (settings.settleMillis() + 30_000) + " ms; lsmod shows how it ends");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Layer45Exception(REFUSED, "interrupted while loading " + source.getFileName());
        }
    }

    private List<String> moduleNames(Deployment deployment) {
        if (deployment.bundle != null) {
            List<String> names = runtime.modulesOf(deployment.bundleId()).stream().map(Module::name).toList();
            if (!names.isEmpty() || deployment.state != DeploymentState.REFUSED) {
                return names;
            }
        }
        return deployment.facts == null ? List.of() : deployment.facts.moduleNames();
    }

    // ---------------------------------------------------------------------------------------------------------
    // The deployer thread
    // ---------------------------------------------------------------------------------------------------------

    /**
     * One scan, on the deployer thread: reconcile the folder if it is new, report what changed in it, look after
     * draining jars; then schedule the next. Installs requested in between run in order with the scans.
     */
    private void scan() {
        try {
            if (watcher == null || !watcher.directory().equals(settings.directory())) {
                watcher = reconcile(settings.directory());
            }
            if (watcher != null) {
                watcher.scan();
                removeVanished(watcher.directory());
            }
            drainAndTidy();
        } catch (Throwable t) { // a scheduled task that throws is never run again: keep the folder watched
            LOG.log(Level.ERROR, "layer45 autoload: scan failed, scanning again in " + settings.pollMillis() + " ms", t);
        } finally {
            if (running) {
                thread.schedule(this::scan, settings.pollMillis(), TimeUnit.MILLISECONDS);
            }
        }
    }

    /**
     * Brings the runtime in line with a folder: bundles of jars that are gone or changed are uninstalled (there are
     * no flows yet at a start), insmod bundles from a previous run are uninstalled, and every jar is loaded.
     */
    private AutoloadWatcher reconcile(Path directory) {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            LOG.log(Level.ERROR, "layer45 autoload: cannot create the folder {0} ({1}); autoload is off until it"
                    + " exists", directory, e.getMessage());
            return null;
        }
        // Watch first, list second: a jar arriving in between is then both listed and reported, and loading the
        // same content twice is a no-op. The other way round, it would be in neither.
        AutoloadWatcher watching;
        try {
            watching = new AutoloadWatcher(directory, this::loadAutoload, this::removeAutoload);
        } catch (IOException e) {
            LOG.log(Level.ERROR, "layer45 autoload: {0}; autoload is off", e.getMessage());
            return null;
        }
        List<Path> jars;
        try (Stream<Path> files = Files.list(directory)) {
            jars = files.filter(AutoloadWatcher::isJar).sorted().toList();
        } catch (IOException e) {
            LOG.log(Level.ERROR, "layer45 autoload: cannot list {0}: {1}", directory, e.getMessage());
            return null;
        }
        Set<String> wanted = new HashSet<>();
        for (Path jar : jars) {
            try {
                wanted.add(Origin.AUTOLOAD.location(jar, JarFacts.read(jar).sha256()));
            } catch (Refused e) {
                // refused below, when it is loaded
            }
        }
        for (Bundle bundle : context.getBundles()) {
            Origin origin = Origin.of(bundle.getLocation());
            if (origin == Origin.INSMOD) {
                uninstall(bundle, "jars installed with insmod are not kept across restarts");
            } else if (origin == Origin.AUTOLOAD && !wanted.contains(bundle.getLocation())
                    && !isLoaded(bundle)) {
                uninstall(bundle, "its jar is gone or has changed since the last run");
            }
        }
        for (Path jar : jars) {
            if (!loadAutoload(jar)) {
                watching.recheck(jar);
            }
        }
        LOG.log(Level.INFO, "layer45 autoload: watching {0} ({1} jar{2} there)", directory, String.valueOf(jars.size()),
                jars.size() == 1 ? "" : "s");
        return watching;
    }

    private boolean isLoaded(Bundle bundle) {
        return current.values().stream().anyMatch(d -> d.bundle == bundle)
                || draining.stream().anyMatch(d -> d.bundle == bundle);
    }

    /** A jar that does not read as a zip this soon after it was written may still be being copied. */
    private static final long INCOMPLETE_GRACE_MILLIS = 5000;

    /** @return {@code false} if the jar looks unfinished and should be looked at again at the next scan */
    private boolean loadAutoload(Path jar) {
        Key key = new Key(Origin.AUTOLOAD, jar);
        JarFacts facts;
        try {
            facts = JarFacts.read(jar);
        } catch (Refused e) {
            if (e.maybeIncomplete() && recentlyModified(jar)) {
                return false; // a writer that paused: wait for the rest, or for the grace time to pass
            }
            refuse(key, null, e.getMessage(), Map.of());
            return true;
        }
        try {
            deploy(key, facts, InsmodParameters.NONE);
        } catch (Layer45Exception | IOException e) {
            refuse(key, facts, e.getMessage(), Map.of());
        }
        return true;
    }

    private static boolean recentlyModified(Path jar) {
        try {
            return System.currentTimeMillis() - Files.getLastModifiedTime(jar).toMillis() < INCOMPLETE_GRACE_MILLIS;
        } catch (IOException e) {
            return false;
        }
    }

    private void removeAutoload(Path jar) {
        Key key = new Key(Origin.AUTOLOAD, jar);
        refusedReplacements.remove(key);
        Deployment removed = current.remove(key);
        if (removed != null && removed.bundle != null) {
            drain(removed, "its jar was removed");
        } else if (removed != null) {
            LOG.log(Level.INFO, "layer45 autoload: {0} removed", jar.getFileName());
        }
    }

    /**
     * Removes the deployments of jars in the folder that no longer exist but were never reported gone. The watcher
     * reports only what it saw come: a jar that arrived while the folder was being reconciled is loaded from the
     * listing, and if it is deleted before the next scan, the watcher has seen it neither come nor go.
     */
    private void removeVanished(Path directory) {
        for (Key key : List.copyOf(current.keySet())) {
            if (key.origin() == Origin.AUTOLOAD && directory.equals(key.source().getParent())
                    && !Files.exists(key.source())) {
                removeAutoload(key.source());
            }
        }
    }

    /** Loads one jar; see the class comment for the steps. Runs on the deployer thread. */
    private Deployment deploy(Key key, JarFacts facts, InsmodParameters parameters) throws IOException {
        Deployment previous = current.get(key);
        String location = key.origin().location(key.source(), facts.sha256());
        if (previous != null && key.origin() == Origin.INSMOD && previous.bundle != null
                && previous.state == DeploymentState.ACTIVE && allModulesUnloaded(previous)) {
            // rmmod unloaded its modules and the next scan has not tidied it yet: an operator who loads it again
            // right away means the jar, not the remains
            tidy(key, previous);
            previous = null;
        }
        if (previous != null && previous.bundle != null && previous.state == DeploymentState.ACTIVE
                && previous.bundle.getLocation().equals(location)) {
            if (key.origin() == Origin.INSMOD) {
                throw new Layer45Exception(INVALID_STATE, key.source().getFileName() + " is already loaded (bundle "
                        + previous.bundleId() + "); rmmod its modules first, or change parameters with param");
            }
            return previous; // the same content: nothing to do
        }
        long begun = System.nanoTime();
        Signature signature;
        try {
            signature = JarSignatures.check(facts.bytes(), signing);
        } catch (Refused e) {
            return refuse(key, facts, e.getMessage(), Map.of());
        }
        Bundle bundle;
        try {
            bundle = context.installBundle(location, new ByteArrayInputStream(facts.bytes()));
        } catch (BundleException | RuntimeException e) {
            return refuse(key, facts, "it cannot be installed: " + e.getMessage(), Map.of());
        }
        Map<String, Map<String, Object>> presetBefore;
        try {
            parameters.checkOwn(bundle); // the bundle's descriptors are readable once installed, before it starts
            presetBefore = parameters.apply(runtime, configurator, facts);
        } catch (Layer45Exception | IOException e) {
            uninstall(bundle, null);
            throw e;
        }
        boolean replacing = previous != null && previous.bundle != null && previous.state == DeploymentState.ACTIVE
                && previous.bundle.getBundleId() != bundle.getBundleId();
        if (replacing) {
            runtime.expectSuccessor(bundle.getBundleId(), previous.bundleId());
        }
        try {
            current.putIfAbsent(key, new Deployment(key.source(), key.origin(), facts, bundle, DeploymentState.LOADING));
            bundle.start();
            Set<String> modules = facts.networkProtocolsOnly() ? settleProtocols(bundle, facts) : settle(bundle, facts);
            if (modules.isEmpty()) {
                uninstall(bundle, null);
                return refuse(key, facts, whyNoModules(bundle, facts), presetBefore);
            }
            Deployment loaded = new Deployment(key.source(), key.origin(), facts, bundle, DeploymentState.ACTIVE);
            current.put(key, loaded);
            recordSignature(bundle, key, signature);
            refusedReplacements.remove(key);
            if (replacing) {
                drain(previous, "replaced by " + facts.symbolicName() + " " + facts.version() + " [" + bundle.getBundleId()
                        + "]");
            }
            LOG.log(Level.INFO, "layer45 {0}: loaded {1} ({2} {3} [{4}]) in {5} ms: modules {6}", key.origin().label(),
                    key.source().getFileName(), facts.symbolicName(), facts.version(),
                    String.valueOf(bundle.getBundleId()), String.valueOf((System.nanoTime() - begun) / 1_000_000),
                    modules.stream().sorted().toList());
            return loaded;
        } catch (BundleException | RuntimeException e) {
            uninstall(bundle, null);
            return refuse(key, facts, whyNotStarted(e, facts), presetBefore);
        } finally {
            runtime.endSuccession(bundle.getBundleId());
        }
    }

    /**
     * Waits until the jar's declared customizations are accepted or refused, or the settle time is over.
     *
     * @return the names of the modules it loaded (an operator may have unloaded some already)
     */
    private Set<String> settle(Bundle bundle, JarFacts facts) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(settings.settleMillis());
        Set<String> expected = new HashSet<>(facts.moduleNames());
        while (true) {
            Set<String> loaded = runtime.loadedFrom(bundle.getBundleId());
            Set<String> accounted = new HashSet<>(loaded);
            runtime.refusalsOf(bundle.getBundleId()).forEach(r -> accounted.add(r.name()));
            boolean done = expected.isEmpty() ? !loaded.isEmpty() : accounted.containsAll(expected);
            if (done || System.nanoTime() > deadline) {
                return loaded;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return runtime.loadedFrom(bundle.getBundleId());
            }
        }
    }

    /**
     * Waits until a network protocol jar's components registered their handlers (which the stack plugs in), or the
     * settle time is over.
     *
     * @return {@code network protocol NAME} for each handler component registered; empty if none did
     */
    private Set<String> settleProtocols(Bundle bundle, JarFacts facts) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(settings.settleMillis());
        while (true) {
            Set<String> registered = new java.util.TreeSet<>();
            org.osgi.framework.ServiceReference<?>[] services = bundle.getRegisteredServices();
            for (org.osgi.framework.ServiceReference<?> service : services == null
                    ? new org.osgi.framework.ServiceReference<?>[0] : services) {
                if (List.of((String[]) service.getProperty(org.osgi.framework.Constants.OBJECTCLASS))
                        .contains(JarFacts.NETWORK_PROTOCOL)) {
                    registered.add("network protocol " + service.getProperty("component.name"));
                }
            }
            if (registered.size() >= facts.protocols().size() || System.nanoTime() > deadline) {
                return registered;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return registered;
            }
        }
    }

    private String whyNoModules(Bundle bundle, JarFacts facts) {
        List<Refusal> refusals = runtime.refusalsOf(bundle.getBundleId());
        if (!refusals.isEmpty()) {
            return CUSTOMIZATIONS_REFUSED + String.join("; ", refusals.stream()
                    .map(r -> r.name() + ": " + r.reason()).toList());
        }
        if (facts.networkProtocolsOnly()) {
            return "its network protocol components " + facts.protocols().stream().map(c -> c.name()).toList()
                    + " did not register within " + settings.settleMillis() + " ms (does the runtime have the"
                    + " network stack, layer45.mnet? an unsatisfied reference?); run scr:info on the component";
        }
        if (facts.customizations().isEmpty()) {
            return "it provides no customization: it declares no Declarative Services component that provides"
                    + " layer45.api.Customization (a @Component on a class implementing Customization, or with"
                    + " service = Customization.class)";
        }
        return "its customization components " + facts.moduleNames() + " did not register within "
                + settings.settleMillis() + " ms (an unsatisfied reference, or a required configuration?); for"
                + " details load it with the bundle commands and run scr:info on the component";
    }

    private String whyNotStarted(Exception e, JarFacts facts) {
        String message = e.getMessage() == null ? e.toString() : e.getMessage();
        if (message.contains("osgi.wiring.package=layer45.api") || message.contains("osgi.implementation=layer45.runtime")) {
            String major = apiVersion.split("\\.", 2)[0];
            return "it was built for another version of the layer45 API, the analogue of a kernel module's vermagic"
                    + " mismatch: it accepts layer45.api " + (facts.apiRange().isEmpty() ? "(none)" : facts.apiRange())
                    + " and this runtime provides " + apiVersion + "; rebuild it against layer45.api " + major + ".x";
        }
        int missing = message.indexOf("missing requirement");
        if (missing >= 0) {
            int end = message.indexOf(" Unresolved requirements", missing);
            return "it cannot resolve: " + message.substring(missing, end < 0 ? message.length() : end).trim()
                    + "; install what provides it, or build the module without it";
        }
        Throwable cause = e.getCause();
        return "it failed to start: " + message + (cause != null && cause != e ? " (" + cause + ")" : "");
    }

    private Deployment refuse(Key key, JarFacts facts, String reason, Map<String, Map<String, Object>> presetBefore) {
        InsmodParameters.restore(runtime, presetBefore);
        Deployment refused = Deployment.refused(key.source(), key.origin(), facts, reason);
        String name = key.source().getFileName().toString();
        // The refusal goes on record before the deployment shows it: whoever sees a REFUSED jar finds its reason.
        if (reason.startsWith(CUSTOMIZATIONS_REFUSED)) {
            // the runtime has recorded each module's refusal already; log the jar's, count nothing twice
            LOG.log(Level.WARNING, "layer45 {0}: refused {1}: {2}", key.origin().label(), name, reason);
        } else {
            runtime.refuse(name + " (" + key.origin().label() + ")", facts == null ? ModuleOrigin.NONE
                    : new ModuleOrigin(-1, facts.symbolicName(), facts.version()), reason);
        }
        Deployment loaded = current.get(key);
        if (key.origin() == Origin.INSMOD) {
            // The operator got the reason at once; an insmod refusal has no file to watch, so nothing would clear it.
            if (loaded != null && loaded.state == DeploymentState.LOADING) {
                current.remove(key, loaded);
            }
        } else if (loaded != null && loaded.state == DeploymentState.ACTIVE) {
            refusedReplacements.put(key, refused); // the old version stays; lsmod shows why the new one did not load
        } else {
            current.put(key, refused);
        }
        return refused;
    }

    private void recordSignature(Bundle bundle, Key key, Signature signature) {
        signatures.put(bundle.getBundleId(), signature);
        if (!signature.signed()) {
            if (taint.isEmpty()) {
                taint = "unsigned " + key.source().getFileName() + " loaded at " + Instant.now() + " ("
                        + SigningSettings.SIGNATURE + " = " + SigningSettings.Policy.ALLOW_UNSIGNED.text() + ")";
            }
            LOG.log(Level.WARNING, "layer45 {0}: {1} is not signed: loaded because {2} = {3}; the runtime is tainted",
                    key.origin().label(), key.source().getFileName(), SigningSettings.SIGNATURE,
                    SigningSettings.Policy.ALLOW_UNSIGNED.text());
        }
        signaturesChanged.run();
    }

    /** A replaced or removed jar: its modules retire and keep their flows; the bundle goes when they are done. */
    private void drain(Deployment deployment, String why) {
        runtime.retireBundle(deployment.bundleId());
        deployment.state = DeploymentState.DRAINING;
        deployment.drainingSince = System.currentTimeMillis();
        draining.add(deployment);
        LOG.log(Level.INFO, "layer45 {0}: {1} draining ({2}): its modules keep their flows and attach to no new ones",
                deployment.origin.label(), deployment.source.getFileName(), why);
    }

    /** Uninstalls drained jars, and jars whose modules were all unloaded by an operator. */
    private void drainAndTidy() {
        if (context.getBundle(0).getState() != Bundle.ACTIVE) {
            return; // the framework is stopping: modules go because bundles stop, not because they were unloaded
        }
        long now = System.currentTimeMillis();
        long drainMillis = settings.drainSeconds() * 1000;
        for (Deployment d : draining) {
            List<Module> modules = runtime.modulesOf(d.bundleId());
            boolean idle = modules.stream().allMatch(m -> m.usedBy() == 0);
            boolean expired = drainMillis > 0 && now - d.drainingSince > drainMillis;
            if (d.bundle.getState() == Bundle.UNINSTALLED || idle || expired) {
                uninstall(d.bundle, idle ? "drained" : "drain time over: its remaining flows go on uncustomized");
                draining.remove(d);
            }
        }
        for (Map.Entry<Key, Deployment> entry : current.entrySet()) {
            Deployment d = entry.getValue();
            if (d.state == DeploymentState.ACTIVE && allModulesUnloaded(d)) {
                tidy(entry.getKey(), d);
            }
        }
    }

    /** @return whether a loaded jar's modules were all unloaded by an operator (or its bundle went otherwise) */
    private boolean allModulesUnloaded(Deployment d) {
        return d.bundle.getState() == Bundle.UNINSTALLED
                || !d.facts.networkProtocolsOnly() && runtime.modulesOf(d.bundleId()).isEmpty();
    }

    /** Uninstalls a jar whose modules were all unloaded, and forgets it. */
    private void tidy(Key key, Deployment d) {
        uninstall(d.bundle, "all its modules were unloaded");
        current.remove(key, d);
    }

    private void uninstall(Bundle bundle, String why) {
        if (bundle.getState() == Bundle.UNINSTALLED) {
            return;
        }
        try {
            bundle.uninstall();
            runtime.forgetBundle(bundle.getBundleId());
            if (signatures.remove(bundle.getBundleId()) != null) {
                signaturesChanged.run();
            }
            if (why != null) {
                LOG.log(Level.INFO, "layer45: uninstalled {0} {1} [{2}]: {3}", bundle.getSymbolicName(),
                        bundle.getVersion(), String.valueOf(bundle.getBundleId()), why);
            }
        } catch (BundleException | IllegalStateException e) {
            LOG.log(Level.WARNING, "layer45: could not uninstall bundle " + bundle.getBundleId(), e);
        }
    }

    /** @return the version of layer45.api this runtime is wired to, for refusal messages */
    private static String providedApiVersion(BundleContext context) {
        BundleWiring wiring = context.getBundle().adapt(BundleWiring.class);
        if (wiring != null) {
            for (BundleWire wire : wiring.getRequiredWires(PackageNamespace.PACKAGE_NAMESPACE)) {
                Map<String, Object> attributes = wire.getCapability().getAttributes();
                if ("layer45.api".equals(attributes.get(PackageNamespace.PACKAGE_NAMESPACE))) {
                    return String.valueOf(attributes.get(PackageNamespace.CAPABILITY_VERSION_ATTRIBUTE));
                }
            }
        }
        return layer45.api.CustomizationService.RUNTIME_VERSION;
    }
}
