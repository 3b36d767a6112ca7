package layer45.agent.protocol;

import java.nio.charset.StandardCharsets;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Whatever arrives on a command or desired-state topic, reading it either gives a command (a desired state) or refuses
 * it with MalformedMessage.
 */
class JsonFuzzTest {

    @FuzzTest
    void commandsAreReadOrRefused(byte[] payload) {
        try {
            Command command = Command.decode(payload);
            Command.decode(command.encode()); // what was read is written back readable
        } catch (MalformedMessage refused) {
            // the only way to refuse
        }
        try {
            DesiredState state = DesiredState.decode(payload);
            DesiredState.decode(state.encode());
        } catch (MalformedMessage refused) {
            // likewise
        }
        try {
            Ack.decode(payload);
        } catch (MalformedMessage refused) {
            // likewise
        }
        try {
            Json.parse(new String(payload, StandardCharsets.UTF_8));
        } catch (MalformedMessage refused) {
            // likewise
        }
    }
}
