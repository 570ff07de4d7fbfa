package io.connectionmanager.test.kit;

import java.util.List;
import java.util.Map;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.annotation.MergedAnnotations;
import org.springframework.core.annotation.MergedAnnotations.SearchStrategy;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.MergedContextConfiguration;

/**
 * Backs {@link AutoConfigureConnectionManagerServer}: registered in
 * {@code META-INF/spring.factories}, as Spring Boot's own test customizers are.
 */
class ScriptedServerContextCustomizerFactory implements ContextCustomizerFactory {

	@Override
	public ContextCustomizer createContextCustomizer(Class<?> testClass,
			List<ContextConfigurationAttributes> configAttributes) {
		var annotation = MergedAnnotations.from(testClass, SearchStrategy.TYPE_HIERARCHY)
			.get(AutoConfigureConnectionManagerServer.class);
		if (!annotation.isPresent()) {
			return null;
		}
		return new Customizer(annotation.getString("connection"), annotation.getString("path"));
	}

	/** A record, so that contexts with the same connection and path are cached as one. */
	record Customizer(String connection, String path) implements ContextCustomizer {

		@Override
		public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration config) {
			ScriptedServer server = ScriptedServer.start();
			context.getBeanFactory().registerSingleton("scriptedServer", server);
			context.addApplicationListener((ContextClosedEvent event) -> server.close());
			String property = "connection-manager.connections." + this.connection + ".url";
			context.getEnvironment()
				.getPropertySources()
				.addFirst(new MapPropertySource("scriptedServer", Map.of(property, server.url(this.path).toString())));
		}

	}

}
