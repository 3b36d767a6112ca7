package layer45.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import layer45.api.Chunk;
import layer45.api.Customization;
import layer45.api.CustomizationService;
import layer45.api.Flow;
import layer45.api.FlowInfo;
import layer45.api.Initiator;
import layer45.api.NetworkProtocol;
import layer45.api.Output;
import layer45.api.ProcessOwner;
import layer45.api.Transport;
import layer45.api.Verdict;
import layer45.runtime.rules.ModuleRule;

import org.junit.jupiter.api.Test;

/** docs/reference.md keeps up with the code: every rule as the runtime words it, every type, verdict and property. */
class ReferenceDocTest {

    private static final Path REFERENCE = Path.of("..", "docs", "reference.md");

    private static String reference() throws IOException {
        return Files.readString(REFERENCE);
    }

    @Test
    void theRulesTableSaysWhatTheRuntimeSays() throws IOException {
        String doc = reference();
        for (ModuleRule rule : ModuleRule.values()) {
            String row = "| " + rule.number() + " | ";
            int at = doc.indexOf(row);
            assertTrue(at >= 0, "the rules table has a row for rule " + rule.number());
            String line = doc.substring(at, doc.indexOf('\n', at));
            assertTrue(line.contains("| " + rule.title() + " |"), "rule " + rule.number() + "'s row has its title, '"
                    + rule.title() + "': " + line);
            assertTrue(line.endsWith("| " + rule.fix() + " |") || rule.fix().isEmpty() && line.endsWith("| |"),
                    "rule " + rule.number() + "'s row ends with its fix, '" + rule.fix() + "': " + line);
        }
    }

    @Test
    void everyApiTypeHasASection() throws IOException {
        String doc = reference();
        for (Class<?> type : List.of(Customization.class, CustomizationService.class, Chunk.class, Output.class,
                Flow.class, FlowInfo.class, ProcessOwner.class, Verdict.class, ModuleTester.class, FlowSpec.class,
                TestFlow.class, Step.class)) {
            assertTrue(doc.contains("### `" + type.getSimpleName() + "`"), "a section for " + type.getName());
        }
        for (Class<?> type : List.of(Transport.class, NetworkProtocol.class, Initiator.class, ChunkPlan.class,
                ComponentConfig.class, ComponentDescriptor.class)) {
            assertTrue(doc.contains("`" + type.getSimpleName() + "`"), "a mention of " + type.getName());
        }
    }

    @Test
    void everyVerdictAndTargetPropertyIsInItsTable() throws IOException, IllegalAccessException {
        String doc = reference();
        for (Verdict verdict : Verdict.values()) {
            assertTrue(doc.contains("| `" + verdict + "` |"), "the verdict table has " + verdict);
        }
        for (Field f : CustomizationService.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class
                    && String.valueOf(f.get(null)).startsWith(CustomizationService.PREFIX_)
                    && !f.getName().endsWith("_") && !f.getName().equals("RUNTIME")) {
                assertTrue(doc.contains("| `" + f.get(null) + "` |"), "the property table has " + f.get(null));
            }
        }
    }
}
