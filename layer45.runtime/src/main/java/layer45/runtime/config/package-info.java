/** The runtime's own settings: limits and budgets, with defaults and validation. Private to the runtime bundle. */
package layer45.runtime.config;
