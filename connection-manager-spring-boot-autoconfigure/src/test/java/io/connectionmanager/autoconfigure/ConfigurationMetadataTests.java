package io.connectionmanager.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import com.jayway.jsonpath.JsonPath;
import io.connectionmanager.core.config.ConnectionSettings;
import io.connectionmanager.core.runtime.ConnectionRuntime;
import org.junit.jupiter.api.Test;

import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The generated {@code spring-configuration-metadata.json} documents every key with a
 * description and a default, and those defaults are the core's: setting every documented
 * default explicitly changes nothing.
 */
class ConfigurationMetadataTests {

	private static final String DEFAULTS = "connection-manager.defaults.";

	/** Keys whose built-in value is "not set". */
	private static final Set<String> WITHOUT_DEFAULT = Set.of("url", "framing", "resume.directory", "tls.trust-store",
			"tls.trust-store-password", "tls.server-name", "cluster.role", "inbound.max-silence",
			"inbound.silence-schedule", "inbound.silence-zone", "proxy.url", "proxy.username", "proxy.password",
			"proxy.non-proxy-hosts", "ssl.bundle", "max-connection-age", "rotation.drain-message", "urls");

	@Test
	void everyKeyHasADescriptionAndEveryDefaultIsDocumented() throws IOException {
		List<Map<String, Object>> properties = properties();
		assertThat(properties).extracting((property) -> property.get("name"))
			.contains("connection-manager.enabled", "connection-manager.connections",
					"connection-manager.runtime.threads", "connection-manager.runtime.max-connects-in-flight",
					"connection-manager.logging.outage-summary-interval",
					"connection-manager.defaults.circuit-breaker.randomized-wait-factor",
					"connection-manager.defaults.resume.fsync");
		assertThat(properties).allSatisfy((property) -> assertThat((String) property.get("description"))
			.as("description of %s", property.get("name"))
			.isNotBlank());
		List<Map<String, Object>> keys = properties.stream()
			.filter((property) -> ((String) property.get("name")).startsWith(DEFAULTS))
			.toList();
		assertThat(keys).hasSize(69);
		assertThat(keys).allSatisfy((property) -> {
			String key = ((String) property.get("name")).substring(DEFAULTS.length());
			if (!WITHOUT_DEFAULT.contains(key)) {
				assertThat(property).as("default of %s", key).containsKey("defaultValue");
			}
		});
	}

	@Test
	void documentedDefaultsAreTheCoreDefaults() throws IOException {
		MockEnvironment documented = new MockEnvironment();
		for (Map<String, Object> property : properties()) {
			String name = (String) property.get("name");
			Object value = property.get("defaultValue");
			if (name.startsWith(DEFAULTS) && value != null && !(value instanceof Map)) {
				documented.setProperty(name, (value instanceof Collection<?> values)
						? values.stream().map(Object::toString).collect(Collectors.joining(",")) : value.toString());
			}
		}
		documented.setProperty("connection-manager.connections.feed.url", "ws://localhost/feed");
		MockEnvironment nothing = new MockEnvironment().withProperty("connection-manager.connections.feed.url",
				"ws://localhost/feed");

		ConnectionDefinition explicit = ConnectionManagerBinding.bind(documented).definitions().get("feed");
		ConnectionDefinition builtIn = ConnectionManagerBinding.bind(nothing).definitions().get("feed");

		assertThat(explicit.autoStartup()).isEqualTo(builtIn.autoStartup());
		assertThat(explicit.critical()).isEqualTo(builtIn.critical());
		assertThat(explicit.cluster()).isEqualTo(builtIn.cluster());
		ConnectionSettings a = explicit.settings();
		ConnectionSettings b = builtIn.settings();
		assertThat(a.connectTimeout()).isEqualTo(b.connectTimeout());
		assertThat(a.authenticationTimeout()).isEqualTo(b.authenticationTimeout());
		assertThat(a.shutdownTimeout()).isEqualTo(b.shutdownTimeout());
		assertThat(a.headers()).isEqualTo(b.headers());
		assertThat(a.subprotocols()).isEqualTo(b.subprotocols());
		assertThat(a.reconnect()).isEqualTo(b.reconnect());
		assertThat(a.heartbeat()).isEqualTo(b.heartbeat());
		assertThat(a.circuitBreaker()).isEqualTo(b.circuitBreaker());
		assertThat(a.outbound()).isEqualTo(b.outbound());
		assertThat(a.inbound()).isEqualTo(b.inbound());
		assertThat(a.resume()).isEqualTo(b.resume());
		assertThat(a.tls().trustStoreType())
			.isEqualTo((b.tls().trustStoreType() != null) ? b.tls().trustStoreType() : "PKCS12");
		assertThat(a.tls().verifyHostname()).isEqualTo(b.tls().verifyHostname());
		assertThat(a.failurePolicy()).isEqualTo(b.failurePolicy());
	}

	@Test
	void documentedProcessWideDefaultsAreTheRuntimeDefaults() throws IOException {
		Map<String, Object> defaults = properties().stream()
			.filter((property) -> property.get("defaultValue") != null)
			.collect(Collectors.toMap((property) -> (String) property.get("name"),
					(property) -> property.get("defaultValue")));
		MockEnvironment documented = new MockEnvironment()
			.withProperty("connection-manager.runtime.max-connects-in-flight",
					defaults.get("connection-manager.runtime.max-connects-in-flight").toString())
			.withProperty("connection-manager.logging.outage-summary-interval",
					defaults.get("connection-manager.logging.outage-summary-interval").toString())
			.withProperty("connection-manager.runtime.handler-spin",
					defaults.get("connection-manager.runtime.handler-spin").toString())
			.withProperty("connection-manager.runtime.loop-spin",
					defaults.get("connection-manager.runtime.loop-spin").toString());
		ConnectionRuntimeSettings runtime = ConnectionManagerBinding.bind(documented).runtime();
		assertThat(runtime.maxConnectsInFlight()).isEqualTo(ConnectionRuntime.Builder.DEFAULT_MAX_CONNECTS_IN_FLIGHT);
		assertThat(runtime.outageSummaryInterval())
			.isEqualTo(ConnectionRuntime.Builder.DEFAULT_OUTAGE_SUMMARY_INTERVAL);
		assertThat(runtime.handlerSpin()).isEqualTo(ConnectionRuntime.Builder.DEFAULT_HANDLER_SPIN);
		assertThat(runtime.loopSpin()).isEqualTo(ConnectionRuntime.Builder.DEFAULT_LOOP_SPIN);
		assertThat(ConnectionManagerBinding.bind(new MockEnvironment()).runtime())
			.isEqualTo(new ConnectionRuntimeSettings(null, null, null, null, null));
	}

	private static List<Map<String, Object>> properties() throws IOException {
		// This module's own file, not one of the other jars' files of the same name.
		try (InputStream json = Files
			.newInputStream(Path.of("target/classes/META-INF/spring-configuration-metadata.json"))) {
			return JsonPath.parse(json).read("$.properties[?(@.name =~ /connection-manager.*/)]");
		}
	}

}
