/**
 * The control plane's messages between the orchestrator and device agents: {@link layer45.agent.protocol.Topics},
 * {@link layer45.agent.protocol.Command}s and their {@link layer45.agent.protocol.Ack}s in JSON
 * ({@link layer45.agent.protocol.Json}), each device's {@link layer45.agent.protocol.DesiredState} (1.1), and
 * {@link layer45.agent.protocol.Challenge} responses.
 *
 * <p>Message format (UTF-8 JSON, one object per MQTT message):
 * <pre>
 * command  {"id":"c-1","op":"install","jar":"echo-tag","sha256":"…","bytes":"&lt;base64&gt;","params":{…}}
 *          {"id":"c-2","op":"deactivate","module":"echo-tag-client"}   (activate, deprecate likewise)
 *          {"id":"c-3","op":"priority","module":"…","priority":10}     {"op":"param","module":"…","params":{…}}
 *          {"id":"c-4","op":"revoke","jar":"echo-tag"}                 {"op":"challenge","jar":"…","nonce":"&lt;hex&gt;"}
 *          {"id":"c-5","op":"report"}
 * ack      {"id":"c-1","device":"d1","op":"install","result":"done|already|refused|malformed","reason":"…",
 *           "time":1700000000000, …details: "modules":[…] or "response":"&lt;hex&gt;"}
 * report   {"device":"d1","time":…,"tainted":"…","installed":[{"name","jar","sha256","state","active","priority",
 *           "count","loadedAt","signed","flows":[…]}],"deprecated":[…],"revoked":[{"jar","sha256","time"}]}
 * </pre>
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package layer45.agent.protocol;
