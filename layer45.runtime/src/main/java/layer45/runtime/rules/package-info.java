/**
 * The module rules ({@link layer45.runtime.rules.ModuleRule}): their texts, shared by the runtime's messages and the
 * test library's. Private to the runtime bundle; the test library reads it from the runtime's jar.
 */
package layer45.runtime.rules;
