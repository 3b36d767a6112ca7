package layer45.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** A component property type instance holds what a test gives and the defaults for the rest, as DS would. */
class ComponentConfigTest {

    @interface Config {
        String start_tag() default "<start>";

        long delay_ms() default 100;

        boolean pass__through();
    }

    @Test
    void givenPropertiesOverrideTheDefaults() {
        Config c = ComponentConfig.of(Config.class, "delay.ms", 5L, "pass_through", true);
        assertEquals("<start>", c.start_tag());
        assertEquals(5, c.delay_ms());
        assertTrue(c.pass__through());
        assertEquals(Config.class, c.annotationType());
    }

    @Test
    void mistakesAreNamed() {
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> ComponentConfig.of(Config.class, "delay", 5L, "pass_through", true));
        assertTrue(unknown.getMessage().contains("no property 'delay'"), unknown.getMessage());
        IllegalArgumentException type = assertThrows(IllegalArgumentException.class,
                () -> ComponentConfig.of(Config.class, "delay.ms", 5, "pass_through", true));
        assertTrue(type.getMessage().contains("is a long"), type.getMessage());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> ComponentConfig.of(Config.class));
        assertTrue(missing.getMessage().contains("'pass_through'"), missing.getMessage());
    }
}
