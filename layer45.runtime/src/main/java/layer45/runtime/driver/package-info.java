/**
 * An in-memory network stack for the runtime: {@link layer45.runtime.driver.InMemoryFlowDriver} opens flows on a
 * {@link layer45.api.spi.FlowTap} and each {@link layer45.runtime.driver.DriverFlow} plays the application and its
 * peer, deterministically and without a network, checking the runtime's byte accounting at every call. Used by the
 * runtime's tests and by the test library {@code layer45.testing}. Private to the runtime bundle.
 */
package layer45.runtime.driver;
