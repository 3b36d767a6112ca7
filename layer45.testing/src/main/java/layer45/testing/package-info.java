/**
 * Unit tests for layer45 customization modules, without OSGi and without a network.
 *
 * <p>{@link layer45.testing.ModuleTester} loads the module into the real layer45 runtime, in memory;
 * {@link layer45.testing.FlowSpec} describes a flow (protocol, addresses, ports, process and thread names);
 * {@link layer45.testing.TestFlow} feeds it chunks on send and recv, cut by a {@link layer45.testing.ChunkPlan} into
 * chunks and segments, and each call answers a {@link layer45.testing.Step}: the output, the module's verdict, what
 * was held and what the application saw. A module that breaks one of the module rules fails the test with the
 * message the runtime logs for it: the rule, what and where, and how to fix it.
 *
 * <pre>{@code
 * try (ModuleTester tester = ModuleTester.activate(MyModule.class);
 *      TestFlow flow = tester.flow(FlowSpec.udp().to("10.0.0.2", 53).process("dig"))) {
 *     flow.send(query).expectVerdict(Verdict.DELIVER);
 * }
 * }</pre>
 *
 * The guide ({@code docs/guide.md}) starts from nothing; the reference ({@code docs/reference.md}) lists every API
 * type, verdict, target property and rule. A plain jar, for a module project's test class path.
 */
package layer45.testing;
