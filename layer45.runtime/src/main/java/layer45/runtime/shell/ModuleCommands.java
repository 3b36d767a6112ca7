package layer45.runtime.shell;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;

import layer45.api.CustomizationService;
import layer45.api.runtime.CustomizationRuntime;
import layer45.api.runtime.DeploymentDTO;
import layer45.api.runtime.DeploymentService;
import layer45.api.runtime.ErrorCode;
import layer45.api.runtime.Layer45Exception;
import layer45.api.runtime.ModuleDTO;
import layer45.runtime.deploy.ModuleSignatures;

import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.apache.felix.service.command.annotations.GogoCommand;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * The operator's commands, in the Gogo shell's {@code l45} scope: customization modules are loaded, listed, tuned
 * and unloaded the way kernel modules are ({@code insmod}, {@code lsmod}, {@code rmmod}, ...).
 *
 * <p>Every command returns the text to show. Bad input throws {@link IllegalArgumentException} saying what was
 * wrong and what to type instead; requests the runtime cannot carry out throw its {@link Layer45Exception}, whose
 * message is written for operators.
 */
@Component(service = ModuleCommands.class, immediate = true,
        property = Constants.SERVICE_DESCRIPTION + "=layer45 module commands: lsmod, insmod, rmmod, modinfo, ...")
@GogoCommand(scope = "l45", function = { "lsmod", "modinfo", "insmod", "rmmod", "activate", "deactivate",
    "deprecate", "priority", "param", "sockets", "stats" })
@Descriptor("layer45 customization modules, managed like kernel modules")
public final class ModuleCommands {

    /** The short parameter names operators type, without {@code layer45.}. */
    static final List<String> SHORT_KEYS = List.of("priority", "active", "apply.now", "protocol", "process", "thread",
            "remote.address", "remote.port", "local.address", "local.port");

    private static final String KEY_VALUE = "parameters are key=value, such as priority=10";

    private final CustomizationRuntime runtime;
    private final DeploymentService deployments;
    private final Views views;
    /** Who signed the loaded jars, and the runtime's taint; optional. */
    private volatile ModuleSignatures signatures;
    /** Where module-own configuration is kept, to show its current values; optional. */
    private final AtomicReference<ConfigurationAdmin> configurationAdmin;

    /**
     * @param runtime the runtime the commands manage
     * @param deployments loads jars
     * @param context this bundle's context, to read module bundles
     */
    @Activate
    public ModuleCommands(@Reference(name = "runtime") CustomizationRuntime runtime,
            @Reference(name = "deployments") DeploymentService deployments, BundleContext context) {
        AtomicReference<ConfigurationAdmin> admin = new AtomicReference<>();
        this(runtime, deployments, new OsgiBundleFacts(context), new MetatypeOptions(context, admin::get), admin);
    }

    /**
     * @param runtime the runtime the commands manage
     * @param deployments loads jars
     * @param bundles facts about module bundles
     * @param options module-own configuration properties
     */
    ModuleCommands(CustomizationRuntime runtime, DeploymentService deployments, BundleFacts bundles,
            ModuleOptions options) {
        this(runtime, deployments, bundles, options, new AtomicReference<>());
    }

    private ModuleCommands(CustomizationRuntime runtime, DeploymentService deployments, BundleFacts bundles,
            ModuleOptions options, AtomicReference<ConfigurationAdmin> configurationAdmin) {
        this.runtime = Objects.requireNonNull(runtime, "runtime");
        this.deployments = Objects.requireNonNull(deployments, "deployments");
        this.views = new Views(bundles, options);
        this.configurationAdmin = configurationAdmin;
    }

    @Reference(name = "configurationAdmin", cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY,
            unbind = "unsetConfigurationAdmin")
    void setConfigurationAdmin(ConfigurationAdmin admin) {
        configurationAdmin.set(admin);
    }

    void unsetConfigurationAdmin(ConfigurationAdmin admin) {
        configurationAdmin.compareAndSet(admin, null);
    }

    @Reference(name = "signatures", cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY,
            unbind = "unsetSignatures")
    void setSignatures(ModuleSignatures signers) {
        this.signatures = signers;
    }

    void unsetSignatures(ModuleSignatures signers) {
        if (this.signatures == signers) {
            this.signatures = null;
        }
    }

    @Descriptor("list the loaded modules, and the jars refused, like /proc/modules")
    public String lsmod() {
        List<ModuleDTO> modules = runtime.modules();
        return views.lsmod(modules, deployments.deployments(), runtime.refusals()) + taintNotice(modules);
    }

    /**
     * @return nothing, or (after a blank line, below the table) the runtime's taint and the modules that are
     *         unsigned, flagged {@code (U)} as the kernel flags unsigned modules
     */
    private String taintNotice(List<ModuleDTO> modules) {
        ModuleSignatures signers = signatures;
        String taint = signers == null ? "" : signers.taint();
        if (taint.isEmpty()) {
            return "";
        }
        List<String> unsigned = modules.stream().filter(m -> "".equals(signers.signer(m.bundleId)))
                .map(m -> m.name + " (U)").toList();
        return "\n\nTainted: U (" + taint + ")" + (unsigned.isEmpty() ? "" : "; unsigned: "
                + String.join(", ", unsigned));
    }

    /** Runs a command for each name given; none is a usage error rather than Gogo's coercion message. */
    private static String each(String[] names, String synopsis, String example, Function<String, String> command) {
        if (names == null || names.length == 0) {
            throw usage(synopsis, example);
        }
        StringJoiner out = new StringJoiner("\n");
        for (String name : names) {
            out.add(command.apply(name));
        }
        return out.toString();
    }

    /** @return the error for a command typed wrongly: its synopsis, an example, and where its help is */
    static IllegalArgumentException usage(String synopsis, String example) {
        return new IllegalArgumentException("usage: " + synopsis + ", such as: " + example + " ('help "
                + synopsis.split(" ")[0] + "' describes it)");
    }

    @Descriptor("show modules: bundle, source, API range, state, target, parameters and counters")
    public String modinfo(@Descriptor("module names, as lsmod lists them") String... names) {
        return each(names, "modinfo NAME...", "modinfo echo-tag-client", name -> views.modinfo(
                named(name, runtime::module), runtime.modules(), deployments.deployments()));
    }

    @Descriptor("load a customization jar and start its modules")
    public String insmod(@Descriptor("the shell session") CommandSession session,
            @Descriptor("path of the jar, absolute or relative to the current directory") String path) {
        return insmod(session, path, new String[0]);
    }

    @Descriptor("load a customization jar with parameters and start its modules")
    public String insmod(@Descriptor("the shell session") CommandSession session,
            @Descriptor("path of the jar, absolute or relative to the current directory") String path,
            @Descriptor("parameters key=value, such as priority=10 remote.port=53 'thread=isc-net-*'"
                    + " 'start.tag=<s>' (quote any with * < > | ; or spaces); MODULE:key=value sets one for one"
                    + " module of the jar") String[] parameters) {
        Path jar = resolve(session, path);
        DeploymentDTO deployment = deployments.install(jar.toString(), keyValues(parameters, Function.identity()));
        StringJoiner out = new StringJoiner("\n");
        String[] modules = deployment.modules == null ? new String[0] : deployment.modules;
        for (String name : modules) {
            try {
                out.add(Views.stateLine(runtime.module(name)));
            } catch (Layer45Exception e) {
                out.add(name + " not loaded: " + e.getMessage());
            }
        }
        for (var refusal : runtime.refusals()) {
            if (refusal.bundleId == deployment.bundleId && !List.of(modules).contains(refusal.name)) {
                out.add(refusal.name + " refused: " + refusal.reason);
            }
        }
        if (modules.length == 0) {
            out.add(jar + ": " + deployment.state + ", no modules");
        }
        return out.toString();
    }

    @Descriptor("unload modules, every version of each; refused while flows use them, unless forced")
    public String rmmod(
            @Descriptor("force: detach them from the flows using them, which go on uncustomized")
            @Parameter(names = { "-f", "--force" }, presentValue = "true", absentValue = "false") boolean force,
            @Descriptor("module names, as lsmod lists them") String... names) {
        return each(names, "rmmod [-f] NAME...", "rmmod echo-tag-client", name -> {
            named(name, n -> {
                runtime.unload(n, force);
                return null;
            });
            return name + " unloaded";
        });
    }

    @Descriptor("activate modules: they customize the flows they are attached to (with a fresh fault budget)")
    public String activate(@Descriptor("module names, as lsmod lists them") String... names) {
        return each(names, "activate NAME...", "activate echo-tag-client", name -> changed(name, n -> runtime.setActive(n, true)));
    }

    @Descriptor("deactivate modules: they stay attached to their flows but are not called; activate undoes it")
    public String deactivate(@Descriptor("module names, as lsmod lists them") String... names) {
        return each(names, "deactivate NAME...", "deactivate echo-tag-client", name -> changed(name, n -> runtime.setActive(n, false)));
    }

    @Descriptor("deprecate modules: they keep their flows and attach to no new ones; there is no way back")
    public String deprecate(@Descriptor("module names, as lsmod lists them") String... names) {
        return each(names, "deprecate NAME...", "deprecate echo-tag-client", name -> changed(name, runtime::deprecate));
    }

    @Descriptor("move a module in the chains; open flows re-sort at their next chunk")
    public String priority(@Descriptor("module name, as lsmod lists it") String name,
            @Descriptor("chain position from 0 to 65535, lower runs first") String priority) {
        int value;
        try {
            value = Integer.parseInt(priority.trim());
        } catch (NumberFormatException e) {
            value = -1;
        }
        if (value < 0 || value > 65535) {
            throw new IllegalArgumentException("priority is a number from 0 to 65535, lower runs first, not '"
                    + priority + "': priority " + name + " 10");
        }
        int p = value;
        return changed(name, n -> runtime.setPriority(n, p));
    }

    @Descriptor("set module parameters live; key= removes an operator's value")
    public String param(@Descriptor("module name, as lsmod lists it") String name,
            @Descriptor("parameters key=value: priority, active, apply.now, protocol, process, thread,"
                    + " remote.address, remote.port, local.address, local.port, or the module's own (modinfo"
                    + " lists them); quote any with * < > | ; or spaces: 'thread=isc-net-*'") String[] parameters) {
        if (parameters.length == 0) {
            throw new IllegalArgumentException("no parameters given: " + KEY_VALUE + ", as in param " + name
                    + " priority=10");
        }
        Map<String, String> values = keyValues(parameters, ModuleCommands::runtimeKey);
        Map<String, Object> changes = new LinkedHashMap<>();
        values.forEach((key, value) -> changes.put(key, value.isEmpty() ? null : value));
        return changed(name, n -> runtime.setParameters(n, changes));
    }

    @Descriptor("list the open flows: addresses, owner, attached modules in chain order, and traffic")
    public String sockets() {
        return Views.sockets(runtime.flows());
    }

    @Descriptor("show the runtime-wide counters, the settings and the autoload folder")
    public String stats() {
        ModuleSignatures signers = signatures;
        String taint = signers == null ? "" : signers.taint();
        return Views.stats(runtime.stats(), runtime.settings(), deployments.autoloadDirectory())
                + (taint.isEmpty() ? "" : "\ntainted: U (" + taint + ")");
    }

    // ---------------------------------------------------------------------------------------------------------

    /** @return the full name of a parameter an operator typed: short runtime names get {@code layer45.} */
    static String runtimeKey(String key) {
        return SHORT_KEYS.contains(key) ? CustomizationService.PREFIX_ + key : key;
    }

    /**
     * @param arguments {@code key=value} arguments
     * @param keys maps each key as typed to the key passed on
     * @return the values by key, in the order given
     * @throws IllegalArgumentException if an argument has no {@code =} or no key, or a key is given twice
     */
    static Map<String, String> keyValues(String[] arguments, Function<String, String> keys) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String argument : arguments) {
            int eq = argument.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("'" + argument + "': " + KEY_VALUE
                        + (eq == 0 ? " (the key is missing)" : ""));
            }
            String typed = argument.substring(0, eq).trim();
            String key = keys.apply(typed);
            if (values.containsKey(key)) {
                throw new IllegalArgumentException("'" + typed + "' is given twice: give each parameter once");
            }
            values.put(key, argument.substring(eq + 1));
        }
        return values;
    }

    /**
     * @return the jar's absolute path, a relative one resolved against the shell's current directory
     * @throws IllegalArgumentException if there is no file there
     */
    static Path resolve(CommandSession session, String path) {
        Path cwd = session == null ? null : session.currentDir();
        if (cwd == null) {
            cwd = Path.of("").toAbsolutePath();
        }
        Path given = Path.of(path);
        Path jar = cwd.resolve(given).toAbsolutePath().normalize();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalArgumentException("no file " + jar
                    + (given.isAbsolute() ? "" : " (relative paths start at the current directory, " + cwd + ")")
                    + ": give the jar's path, such as insmod /path/to/module.jar");
        }
        return jar;
    }

    private String changed(String name, Consumer<String> change) {
        named(name, n -> {
            change.accept(n);
            return null;
        });
        return Views.stateLine(named(name, runtime::module));
    }

    /** Runs a request about a named module; an unknown name says how to list the names. */
    private static <T> T named(String name, Function<String, T> request) {
        try {
            return request.apply(name);
        } catch (Layer45Exception e) {
            if (e.code() == ErrorCode.UNKNOWN_MODULE && !e.getMessage().contains("lsmod")) {
                throw new Layer45Exception(e.code(), e.getMessage() + "; list them with lsmod", e);
            }
            throw e;
        }
    }
}
