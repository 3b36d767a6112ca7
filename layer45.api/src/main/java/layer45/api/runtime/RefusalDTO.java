package layer45.api.runtime;

/** A customization registration the runtime refused, and why. */
public class RefusalDTO {
    /** The module's name, or a description of the service when it has none. */
    public String name;
    /** The providing bundle's id. */
    public long bundleId;
    /** The providing bundle's symbolic name. */
    public String bundleSymbolicName;
    /** Why it was refused and how to fix it. */
    public String reason;
    /** When, in epoch milliseconds. */
    public long time;
}
