/** Traffic counters shared by flows, attachments and modules. Private to the runtime bundle. */
package layer45.runtime.stats;
