package io.connectionmanager.sample;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.annotation.Import;

/**
 * The whole sample application on a random HTTP port with its embedded feed on a free
 * port, with {@code application.yml} as shipped except for shorter timings so that
 * recoveries take seconds, not tens of seconds. Test classes with this annotation share
 * one application context.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "connection-manager.connections.market-data.heartbeat.interval=1s",
				"connection-manager.connections.market-data.heartbeat.timeout=1s",
				"connection-manager.connections.market-data.reconnect.initial-delay=200ms",
				"connection-manager.connections.market-data.reconnect.max-delay=1s",
				"connection-manager.connections.market-data.circuit-breaker.wait-duration-in-open-state=2s",
				"feed.restart-delay=1s" })
@Import(TransitionRecorder.class)
public @interface SampleAppTest {

}
