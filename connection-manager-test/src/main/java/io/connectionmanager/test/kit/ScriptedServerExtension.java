package io.connectionmanager.test.kit;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension that gives each test method a fresh {@link ScriptedServer} or
 * {@link ScriptedLineServer} as a parameter, started on loopback and closed after the
 * test: {@code @ExtendWith(ScriptedServerExtension.class)} then
 * {@code @Test void drops(ScriptedServer server)}.
 */
public final class ScriptedServerExtension implements ParameterResolver {

	private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace
		.create(ScriptedServerExtension.class);

	@Override
	public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
		Class<?> type = parameter.getParameter().getType();
		return type == ScriptedServer.class || type == ScriptedLineServer.class;
	}

	@Override
	public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
		Class<?> type = parameter.getParameter().getType();
		// Stored per test: JUnit closes AutoCloseable store values when the test ends.
		return context.getStore(NAMESPACE).getOrComputeIfAbsent(type, ScriptedServerExtension::start, Object.class);
	}

	private static Object start(Class<?> type) {
		return (type == ScriptedServer.class) ? ScriptedServer.start() : ScriptedLineServer.start();
	}

}
