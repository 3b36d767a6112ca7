package layer45.runtime.module;

import layer45.api.runtime.RefusalDTO;

/**
 * A registration the runtime would not load.
 *
 * @param name the module's name, or a description of the service
 * @param origin where it came from
 * @param reason why, and what to do
 * @param time when, in epoch milliseconds
 */
public record Refusal(String name, ModuleOrigin origin, String reason, long time) {

    /** @return the refusal as a DTO */
    public RefusalDTO toDTO() {
        RefusalDTO dto = new RefusalDTO();
        dto.name = name;
        dto.bundleId = origin.bundleId();
        dto.bundleSymbolicName = origin.symbolicName();
        dto.reason = reason;
        dto.time = time;
        return dto;
    }
}
