package io.connectionmanager.autoconfigure;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import io.connectionmanager.core.handler.ConnectionHandler;
import io.connectionmanager.core.ManagedConnection;
import io.connectionmanager.core.state.ConnectionState;
import io.connectionmanager.core.transport.Message;
import io.connectionmanager.event.ConnectionStateChangedEvent;
import io.connectionmanager.test.server.TestWebSocketServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.condition.JRE;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.support.AbstractBeanDefinition;
import org.springframework.beans.factory.support.AutowireCandidateQualifier;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationListener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Boot's {@code spring.threads.virtual.enabled} puts handler callbacks and event delivery
 * on virtual threads (Java 21+), each connection's deliveries still serial and in order.
 * Compiled for Java 17 ({@code Thread.isVirtual()} is called reflectively); the build
 * runs this class on Java 17 and, in a second surefire execution, on Java 25 (profile
 * {@code java25}, see {@code .ci/run}).
 */
class VirtualThreadsTests {

	/**
	 * Set by the Java 25 execution, so that running on the wrong JVM fails, not skips.
	 */
	private static final String EXPECTED_JAVA = "connection-manager.test.expected-java";

	private static final Duration TIMEOUT = Duration.ofSeconds(15);

	private static final int MESSAGES = 200;

	private final Recorder recorder = new Recorder();

	private TestWebSocketServer server;

	private ApplicationContextRunner runner;

	@BeforeEach
	void start() {
		this.server = TestWebSocketServer.start(); // echoes what it receives
		this.runner = new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(ConnectionManagerAutoConfiguration.class))
			.withBean("feedHandler", ConnectionHandler.class, () -> this.recorder,
					(definition) -> ((AbstractBeanDefinition) definition)
						.addQualifier(new AutowireCandidateQualifier(Qualifier.class, "feed")))
			.withBean(Recorder.Events.class, this.recorder::events)
			.withPropertyValues("connection-manager.runtime.threads=1",
					"connection-manager.connections.feed.url=" + this.server.uri("/feed"),
					"connection-manager.connections.feed.auto-startup=false");
	}

	@AfterEach
	void stop() {
		this.server.close();
	}

	@Test
	@EnabledIfSystemProperty(named = EXPECTED_JAVA, matches = "\\d+")
	void runsOnTheJavaItWasMeantFor() {
		assertThat(Runtime.version().feature()).isEqualTo(Integer.parseInt(System.getProperty(EXPECTED_JAVA)));
	}

	@Test
	@EnabledForJreRange(min = JRE.JAVA_21)
	void withTheSwitchHandlersAndEventsRunOnVirtualThreadsSeriallyAndInOrder() {
		this.runner.withPropertyValues("spring.threads.virtual.enabled=true").run((context) -> {
			exchange(context.getBean("feed", ManagedConnection.class));
			assertThat(this.recorder.handlerThreads).isNotEmpty().allMatch(VirtualThreadsTests::isVirtual);
			assertThat(this.recorder.eventThreads).isNotEmpty().allMatch(VirtualThreadsTests::isVirtual);
			assertDeliveredSeriallyInOrder();
		});
	}

	@Test
	void withoutTheSwitchHandlersRunOnPlatformThreads() {
		this.runner.run((context) -> {
			exchange(context.getBean("feed", ManagedConnection.class));
			assertThat(this.recorder.handlerThreads).isNotEmpty().noneMatch(VirtualThreadsTests::isVirtual);
			assertThat(this.recorder.eventThreads).isNotEmpty().noneMatch(VirtualThreadsTests::isVirtual);
			assertDeliveredSeriallyInOrder();
		});
	}

	@Test
	@EnabledForJreRange(max = JRE.JAVA_20)
	void beforeJava21TheSwitchChangesNothing() {
		this.runner.withPropertyValues("spring.threads.virtual.enabled=true").run((context) -> {
			assertThat(context).hasNotFailed();
			exchange(context.getBean("feed", ManagedConnection.class));
			assertThat(this.recorder.handlerThreads).isNotEmpty().noneMatch(VirtualThreadsTests::isVirtual);
			assertDeliveredSeriallyInOrder();
		});
	}

	/** Connects, then has the server echo {@link #MESSAGES} numbered messages. */
	private void exchange(ManagedConnection feed) {
		feed.connect();
		await().atMost(TIMEOUT).until(() -> feed.state() == ConnectionState.CONNECTED);
		IntStream.range(0, MESSAGES).forEach((i) -> feed.send(Integer.toString(i)));
		await().atMost(TIMEOUT).until(() -> this.recorder.received.size() == MESSAGES);
		await().atMost(TIMEOUT).until(() -> this.recorder.transitions.size() >= 3);
	}

	private void assertDeliveredSeriallyInOrder() {
		assertThat(this.recorder.received)
			.containsExactlyElementsOf(IntStream.range(0, MESSAGES).mapToObj(Integer::toString).toList());
		assertThat(this.recorder.maxConcurrent.get()).isEqualTo(1);
		assertThat(this.recorder.transitions).startsWith("DISCONNECTED->CONNECTING", "CONNECTING->AUTHENTICATING",
				"AUTHENTICATING->CONNECTED");
	}

	/** {@code Thread.isVirtual()}, which Java 17 does not have. */
	private static boolean isVirtual(Thread thread) {
		try {
			Method isVirtual = Thread.class.getMethod("isVirtual");
			return (boolean) isVirtual.invoke(thread);
		}
		catch (NoSuchMethodException ex) {
			return false;
		}
		catch (ReflectiveOperationException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** The connection's handler, and a listener of its Spring events. */
	static final class Recorder implements ConnectionHandler {

		final List<Thread> handlerThreads = new CopyOnWriteArrayList<>();

		final List<Thread> eventThreads = new CopyOnWriteArrayList<>();

		final List<String> received = new CopyOnWriteArrayList<>();

		final List<String> transitions = new CopyOnWriteArrayList<>();

		private final AtomicInteger inHandler = new AtomicInteger();

		final AtomicInteger maxConcurrent = new AtomicInteger();

		@Override
		public void onMessage(Message message) {
			this.maxConcurrent.accumulateAndGet(this.inHandler.incrementAndGet(), Math::max);
			try {
				this.handlerThreads.add(Thread.currentThread());
				this.received.add(((Message.Text) message).text());
				Thread.yield(); // invite an overlap if deliveries were not serial
			}
			finally {
				this.inHandler.decrementAndGet();
			}
		}

		Events events() {
			return new Events();
		}

		/** Spring events, as the application sees them. */
		final class Events implements ApplicationListener<ConnectionStateChangedEvent> {

			@Override
			public void onApplicationEvent(ConnectionStateChangedEvent event) {
				Recorder.this.eventThreads.add(Thread.currentThread());
				Recorder.this.transitions.add(event.getPrevious() + "->" + event.getCurrent());
			}

		}

	}

}
