package io.connectionmanager.autoconfigure.aot;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.connectionmanager.autoconfigure.ConnectionDefinitions;
import io.connectionmanager.autoconfigure.ConnectionManagerAutoConfiguration;
import io.connectionmanager.autoconfigure.ConnectionProperties;
import io.connectionmanager.autoconfigure.ConnectionRegistry;
import io.connectionmanager.autoconfigure.health.ConnectionManagerHealthContributorAutoConfiguration;
import io.connectionmanager.core.ManagedConnection;
import io.connectionmanager.core.state.ConnectionState;
import io.connectionmanager.test.server.TestWebSocketServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.aot.generate.GeneratedFiles.Kind;
import org.springframework.aot.test.generate.TestGenerationContext;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthContributors;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.aot.AbstractAotProcessor;
import org.springframework.context.aot.ApplicationContextAotGenerator;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.test.tools.CompileWithForkedClassLoader;
import org.springframework.core.test.tools.Compiled;
import org.springframework.core.test.tools.TestCompiler;
import org.springframework.javapoet.ClassName;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The auto-configuration processed by Spring AOT, compiled, and started from the
 * generated code: the connections come from the environment the application starts with,
 * not from the one it was processed with.
 */
class ConnectionManagerAotTests {

	private static TestWebSocketServer server;

	@BeforeAll
	static void startServer() {
		server = TestWebSocketServer.start();
	}

	@AfterAll
	static void stopServer() {
		server.close();
	}

	@Test
	@CompileWithForkedClassLoader // the generated code calls package-private methods
	void processedWithOneConnectionAndStartedWithTwoHasTwo() {
		TestGenerationContext generation = new TestGenerationContext();
		ClassName initializer = processAheadOfTime(generation,
				Map.of("connection-manager.connections.built-in.url", "ws://build.invalid/feed"));
		assertThat(sources(generation)).noneMatch((source) -> source.contains("built-in"));
		TestCompiler.forSystem().with(generation).compile((compiled) -> {
			try (GenericApplicationContext context = new GenericApplicationContext()) {
				context.getEnvironment()
					.getPropertySources()
					.addFirst(new MapPropertySource("run",
							Map.of("connection-manager.runtime.threads", "1",
									"connection-manager.connections.first.url", server.uri("/first").toString(),
									"connection-manager.connections.second.url", server.uri("/second").toString())));
				initializer(compiled, initializer).initialize(context);
				context.refresh();
				Map<String, ManagedConnection> connections = context.getBeansOfType(ManagedConnection.class);
				assertThat(connections).containsOnlyKeys("first", "second");
				assertThat(context.getBean(ConnectionDefinitions.class).all()).hasSize(2);
				await().atMost(Duration.ofSeconds(15))
					.until(() -> connections.values()
						.stream()
						.allMatch((connection) -> connection.state() == ConnectionState.CONNECTED));
				assertThat(context.getBean("connectionsHealthContributor", CompositeHealthContributor.class)
					.stream()
					.map(HealthContributors.Entry::name)).containsExactlyInAnyOrder("first", "second");
				// and connections added at run time, as without AOT
				ManagedConnection third = context.getBean(ConnectionRegistry.class)
					.register("third",
							new Binder(new MapConfigurationPropertySource(Map.of("url", server.uri("/third"))))
								.bindOrCreate("", Bindable.of(ConnectionProperties.class)),
							null);
				await().atMost(Duration.ofSeconds(15)).until(() -> third.state() == ConnectionState.CONNECTED);
				assertThat(context.getBeansOfType(ManagedConnection.class)).containsOnlyKeys("first", "second",
						"third");
			}
		});
	}

	@SuppressWarnings("unchecked")
	private static ApplicationContextInitializer<GenericApplicationContext> initializer(Compiled compiled,
			ClassName name) {
		return compiled.getInstance(ApplicationContextInitializer.class, name.toString());
	}

	/** What Spring Boot's AOT processor does with the application's context. */
	private static ClassName processAheadOfTime(TestGenerationContext generation, Map<String, Object> properties) {
		System.setProperty(AbstractAotProcessor.AOT_PROCESSING, "true");
		try (AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext()) {
			context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("build", properties));
			context.register(ConnectionManagerAutoConfiguration.class,
					ConnectionManagerHealthContributorAutoConfiguration.class);
			ClassName initializer = new ApplicationContextAotGenerator().processAheadOfTime(context, generation);
			generation.writeGeneratedContent();
			return initializer;
		}
		finally {
			System.clearProperty(AbstractAotProcessor.AOT_PROCESSING);
		}
	}

	private static List<String> sources(TestGenerationContext generation) {
		return generation.getGeneratedFiles().getGeneratedFiles(Kind.SOURCE).values().stream().map((source) -> {
			try {
				return source.getInputStream().readAllBytes();
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}).map((bytes) -> new String(bytes, StandardCharsets.UTF_8)).toList();
	}

}
