package io.connectionmanager.autoconfigure.aot;

import io.connectionmanager.autoconfigure.ConnectionManagerProperties;
import io.connectionmanager.autoconfigure.ConnectionProperties;
import io.connectionmanager.core.handler.ConnectionHandler;
import org.junit.jupiter.api.Test;

import org.springframework.aot.generate.GenerationContext;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.TypeHint;
import org.springframework.aot.hint.predicate.ReflectionHintsPredicates;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.aot.test.generate.TestGenerationContext;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.aot.AotServices;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.beans.factory.aot.BeanFactoryInitializationAotContribution;
import org.springframework.beans.factory.aot.BeanFactoryInitializationAotProcessor;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.beans.factory.support.RootBeanDefinition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

/**
 * The hints the connection manager contributes through
 * {@code META-INF/spring/aot.factories}.
 */
class ConnectionManagerRuntimeHintsTests {

	private final ReflectionHintsPredicates reflection = RuntimeHintsPredicates.reflection();

	@Test
	void registeredInAotFactories() {
		assertThat(AotServices.factories().load(RuntimeHintsRegistrar.class))
			.hasAtLeastOneElementOfType(ConnectionManagerRuntimeHints.class);
		assertThat(AotServices.factories().load(BeanFactoryInitializationAotProcessor.class))
			.hasAtLeastOneElementOfType(ConnectionHandlerAotProcessor.class);
	}

	@Test
	void propertiesRecordsCanBeBound() throws NoSuchMethodException {
		RuntimeHints hints = hints();
		for (Class<?> type : new Class<?>[] { ConnectionManagerProperties.class, ConnectionProperties.class,
				ConnectionProperties.Heartbeat.class, ConnectionProperties.Reconnect.class,
				ConnectionProperties.Resume.class, ConnectionManagerProperties.Runtime.class }) {
			assertThat(this.reflection.onType(type)).as(type.getName()).accepts(hints);
			assertThat(this.reflection.onConstructorInvocation(type.getDeclaredConstructors()[0])).as(type.getName())
				.accepts(hints);
		}
	}

	@Test
	void virtualThreadsCanBeLookedUp() {
		RuntimeHints hints = hints();
		assertThat(methodNames(hints.reflection().getTypeHint(Thread.class))).contains("ofVirtual");
		assertThat(hints.reflection()
			.getTypeHint(org.springframework.aot.hint.TypeReference.of("java.lang.Thread$Builder"))).isNotNull();
		assertThat(methodNames(hints.reflection().getTypeHint(java.util.concurrent.Executors.class)))
			.contains("newThreadPerTaskExecutor");
	}

	@Test
	void handlerBeanTypesAreHintedSoThatTheirQualifierCanBeRead() {
		DefaultListableBeanFactory beanFactory = new DefaultListableBeanFactory();
		beanFactory.registerBeanDefinition("marketDataHandler", new RootBeanDefinition(MarketDataHandler.class));
		beanFactory.registerBeanDefinition("other", new RootBeanDefinition(String.class));
		BeanFactoryInitializationAotContribution contribution = new ConnectionHandlerAotProcessor()
			.processAheadOfTime(beanFactory);
		GenerationContext generation = new TestGenerationContext();
		contribution.applyTo(generation, mock());
		assertThat(this.reflection.onType(MarketDataHandler.class)).accepts(generation.getRuntimeHints());
		assertThat(this.reflection.onType(String.class)).rejects(generation.getRuntimeHints());
	}

	@Test
	void noHandlerNoContribution() {
		assertThat(new ConnectionHandlerAotProcessor().processAheadOfTime(new DefaultListableBeanFactory())).isNull();
	}

	private static RuntimeHints hints() {
		RuntimeHints hints = new RuntimeHints();
		new ConnectionManagerRuntimeHints().registerHints(hints,
				ConnectionManagerRuntimeHintsTests.class.getClassLoader());
		return hints;
	}

	private static java.util.List<String> methodNames(TypeHint hint) {
		assertThat(hint).isNotNull();
		return hint.methods().map((method) -> method.getName()).toList();
	}

	@Qualifier("market-data")
	static class MarketDataHandler implements ConnectionHandler {

	}

}
