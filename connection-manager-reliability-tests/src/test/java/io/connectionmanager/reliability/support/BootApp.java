package io.connectionmanager.reliability.support;

import io.connectionmanager.test.http.LoopbackHttp;

import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A whole Spring Boot application with the starter and a web server on a random loopback
 * port.
 */
public final class BootApp implements AutoCloseable {

	private final ConfigurableApplicationContext context;

	private BootApp(ConfigurableApplicationContext context) {
		this.context = context;
	}

	public static BootApp run(String... properties) {
		List<String> args = new ArrayList<>(List.of("--server.port=0", "--server.address=127.0.0.1",
				"--connection-manager.runtime.threads=1", "--spring.main.banner-mode=off"));
		for (String property : properties) {
			args.add("--" + property);
		}
		return new BootApp(new SpringApplication(Application.class).run(args.toArray(String[]::new)));
	}

	public <T> T bean(String name, Class<T> type) {
		return this.context.getBean(name, type);
	}

	public LoopbackHttp http() {
		return new LoopbackHttp(((WebServerApplicationContext) this.context).getWebServer().getPort());
	}

	@Override
	public void close() {
		this.context.close();
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class Application {

	}

}
