package io.connectionmanager.sample.feed;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Publishes {@code feed.port} and {@code feed.url} for the embedded feed before any bean
 * binds, so that {@code application.yml} can say {@code url: ${feed.url}} for the
 * {@code market-data} connection. Picks a free port unless {@code feed.port} is set. Does
 * nothing when {@code feed.embedded=false}. Runs after the config files have been loaded
 * (lowest precedence order), so it sees {@code feed.*} from everywhere.
 */
public class EmbeddedFeedEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

	static final String PROPERTY_SOURCE_NAME = "embeddedFeed";

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (!environment.getProperty("feed.embedded", Boolean.class, true)
				|| environment.getPropertySources().contains(PROPERTY_SOURCE_NAME)) {
			return;
		}
		int port = environment.getProperty("feed.port", Integer.class, 0);
		if (port == 0) {
			port = freePort();
		}
		String path = environment.getProperty("feed.path", "/stream");
		environment.getPropertySources()
			.addFirst(new MapPropertySource(PROPERTY_SOURCE_NAME,
					Map.of("feed.port", port, "feed.url", "ws://127.0.0.1:" + port + path)));
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("No free port on 127.0.0.1 for the embedded feed", ex);
		}
	}

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

}
