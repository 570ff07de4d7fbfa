package io.connectionmanager.test.kit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Starts a {@link ScriptedServer} for a Spring test's application context and points the
 * named connection at it ({@code connection-manager.connections.<connection>.url}). The
 * server is a bean: {@code @Autowired ScriptedServer server} scripts it. It lives as long
 * as the (cached) context; a test that changes its script for later tests should reset it
 * ({@code accept()}, {@code unfreeze()}).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
public @interface AutoConfigureConnectionManagerServer {

	/** The name of the connection to point at the server. */
	String connection();

	/** The path of the WebSocket URL. */
	String path() default "/";

}
