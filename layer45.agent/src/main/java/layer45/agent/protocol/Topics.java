package layer45.agent.protocol;

import java.util.List;

/**
 * The MQTT topics of the control plane. A device's MQTT user name is its id, so the broker's ACL can give each
 * device its own topics only ({@code pattern read layer45/dev/%u/cmd}, {@code pattern write layer45/dev/%u/ack}, ...).
 * Commands are published with QoS 1 to devices with persistent sessions, so a device that is offline gets them when
 * it returns; and each device's {@link DesiredState} is kept retained on {@link #desired(String)}, so a device that
 * lost its session, or was set up again, catches up from the broker alone.
 */
public final class Topics {

    /** The root of every topic. */
    public static final String ROOT = "layer45/";
    /** Commands to every device. */
    public static final String ALL_COMMANDS = ROOT + "all/cmd";

    private Topics() {
    }

    /** @param device a device id @return its command topic (the orchestrator publishes, the device reads) */
    public static String commands(String device) {
        return ROOT + "dev/" + device + "/cmd";
    }

    /** @param group a group name @return its command topic */
    public static String groupCommands(String group) {
        return ROOT + "group/" + group + "/cmd";
    }

    /** @param device a device id @return its acknowledgement topic (the device publishes) */
    public static String acks(String device) {
        return ROOT + "dev/" + device + "/ack";
    }

    /** @param device a device id @return its report topic (the device publishes, retained) */
    public static String reports(String device) {
        return ROOT + "dev/" + device + "/report";
    }

    /** @param device a device id @return its status topic: "online", or "offline" as its last will (retained) */
    public static String status(String device) {
        return ROOT + "dev/" + device + "/status";
    }

    /**
     * @param device a device id
     * @return its desired-state topic: the orchestrator publishes it retained after every command that changes the
     *         device, the device reads it (ACL {@code pattern read layer45/dev/%u/desired})
     */
    public static String desired(String device) {
        return ROOT + "dev/" + device + "/desired";
    }

    /**
     * @return the filter of every topic of every device, its desired state included; the orchestrator subscribes to
     *         {@link #fromDevices()} instead, so it does not receive the desired states it writes
     */
    public static String everyDevice() {
        return ROOT + "dev/+/+";
    }

    /** @return the filters of what devices publish: every device's acks, reports and status (the orchestrator's) */
    public static List<String> fromDevices() {
        return List.of(ROOT + "dev/+/ack", ROOT + "dev/+/report", ROOT + "dev/+/status");
    }

    /**
     * @param topic a topic under {@code layer45/dev/}
     * @return the device id in it, or "" if it is not a device topic
     */
    public static String deviceOf(String topic) {
        String prefix = ROOT + "dev/";
        int end = topic.indexOf('/', prefix.length());
        return topic.startsWith(prefix) && end > prefix.length() ? topic.substring(prefix.length(), end) : "";
    }

    /**
     * @param id a device id or group name
     * @return whether it is usable in a topic and as a user name: 1 to 64 of letters, digits, '.', '_' and '-'
     */
    public static boolean validName(String id) {
        return id != null && id.matches("[A-Za-z0-9._-]{1,64}");
    }
}
