package io.connectionmanager.autoconfigure.aot;

import java.util.List;
import java.util.concurrent.Executors;

import io.connectionmanager.autoconfigure.ConnectionManagerProperties;
import io.connectionmanager.autoconfigure.ConnectionProperties;

import org.springframework.aot.hint.ExecutableMode;
import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.TypeReference;
import org.springframework.boot.context.properties.bind.BindableRuntimeHintsRegistrar;

/**
 * What the connection manager reflects on or loads by name at run time, for Spring AOT
 * and native images:
 * <ul>
 * <li>{@code connection-manager.*}: bound with Boot's {@code Binder} when the context
 * refreshes, straight from the environment rather than through a
 * {@code @ConfigurationProperties} bean definition (whose hints Boot would add itself),
 * so the records' constructors and components are hinted here;
 * {@link ConnectionProperties} is also what applications bind for
 * {@code ConnectionRegistry};</li>
 * <li>virtual threads: looked up reflectively by the core (compiled for Java 17) when
 * {@code spring.threads.virtual.enabled} is on.</li>
 * </ul>
 * Handler beans are hinted per application by {@link ConnectionHandlerAotProcessor}.
 */
class ConnectionManagerRuntimeHints implements RuntimeHintsRegistrar {

	private static final TypeReference THREAD_BUILDER = TypeReference.of("java.lang.Thread$Builder");

	@Override
	public void registerHints(RuntimeHints hints, ClassLoader classLoader) {
		BindableRuntimeHintsRegistrar.forTypes(ConnectionManagerProperties.class, ConnectionProperties.class)
			.registerHints(hints, classLoader);
		hints.reflection()
			.registerType(Thread.class, (type) -> type.withMethod("ofVirtual", List.of(), ExecutableMode.INVOKE))
			.registerType(THREAD_BUILDER, MemberCategory.INVOKE_PUBLIC_METHODS)
			.registerType(Executors.class, (type) -> type.withMethod("newThreadPerTaskExecutor",
					List.of(TypeReference.of(java.util.concurrent.ThreadFactory.class)), ExecutableMode.INVOKE));
	}

}
