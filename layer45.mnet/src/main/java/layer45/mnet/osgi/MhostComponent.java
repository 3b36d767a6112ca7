package layer45.mnet.osgi;

import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import layer45.mnet.HostIdentifiers;
import layer45.mnet.mhost.HostTable;
import layer45.mnet.mhost.MhostEntries;
import layer45.mnet.mhost.MhostFileWatcher;
import layer45.mnet.mhost.MhostSettings;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The host-identifier table as a component: it reads its settings and identifiers from configuration (PID
 * {@value MhostSettings#PID}, optional: without one, the defaults), watches the file, and registers the table as
 * {@link HostIdentifiers} for operators and as {@link HostTable} for the stack. A changed configuration applies at
 * once, without restarting anything; the identifiers operators put from the shell stay.
 */
@Component(configurationPid = MhostSettings.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL, service = {},
        immediate = true)
@Designate(ocd = MhostConfig.class)
public final class MhostComponent {

    private static final System.Logger LOG = System.getLogger("layer45.mnet");
    /** How often the file is looked at for a change. */
    private static final Duration FILE_CHECK = Duration.ofSeconds(1);

    private final Path home;
    private final HostTable table;
    private final ServiceRegistration<?> registration;
    private MhostFileWatcher watcher;
    private Path watched;

    /**
     * Builds the table from the configuration and registers it.
     *
     * @param properties the configuration
     * @param context this bundle's context, for {@code layer45.home}
     */
    @Activate
    public MhostComponent(Map<String, Object> properties, BundleContext context) {
        String h = context.getProperty("layer45.home");
        this.home = Path.of(h == null || h.isBlank() ? "" : h).toAbsolutePath();
        this.table = new HostTable(MhostSettings.defaults(home));
        apply(properties);
        Hashtable<String, Object> description = new Hashtable<>();
        description.put(Constants.SERVICE_DESCRIPTION, "layer45 host identifiers");
        this.registration = context.registerService(
                new String[] {HostIdentifiers.class.getName(), HostTable.class.getName()}, table, description);
    }

    /** @param properties the changed configuration: applies to new flows at once */
    @Modified
    void modified(Map<String, Object> properties) {
        apply(properties);
    }

    private synchronized void apply(Map<String, Object> properties) {
        List<String> problems = new ArrayList<>();
        table.settings(MhostSettings.from(properties, home, problems), problems);
        MhostEntries.Parsed config = MhostEntries.parseConfig(properties);
        table.configRead(config);
        Path file = table.settings().file();
        if (!Objects.equals(file, watched)) {
            if (watcher != null) {
                watcher.close();
                watcher = null;
            }
            watched = file;
            if (file == null) {
                table.fileRead(MhostEntries.Parsed.EMPTY);
            } else {
                watcher = new MhostFileWatcher(table, file, displayName(file), FILE_CHECK);
            }
        }
        List<String> all = new ArrayList<>(problems);
        all.addAll(config.problems());
        LOG.log(all.isEmpty() ? Level.INFO : Level.WARNING, "layer45: host identifiers: " + table.settings()
                + "; " + config.entries().size() + " from the configuration"
                + (all.isEmpty() ? "" : "; " + String.join("; ", all)));
    }

    /** @return the file as operators know it: relative to layer45.home when it is below it */
    private String displayName(Path file) {
        return file.startsWith(home) ? home.relativize(file).toString() : file.toString();
    }

    /** Withdraws the table and stops watching the file. */
    @Deactivate
    synchronized void deactivate() {
        registration.unregister();
        if (watcher != null) {
            watcher.close();
        }
    }
}
