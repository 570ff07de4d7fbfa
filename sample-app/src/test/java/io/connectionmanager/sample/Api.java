package io.connectionmanager.sample;

import java.util.Map;

import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.client.RestClient;

/**
 * Plain HTTP calls to the running application, as curl would make them (errors are
 * answers, not exceptions).
 */
final class Api {

	private static final ParameterizedTypeReference<Map<String, Object>> JSON_OBJECT = new ParameterizedTypeReference<>() {
	};

	private final RestClient rest;

	Api(int port) {
		this.rest = RestClient.builder()
			.baseUrl("http://127.0.0.1:" + port)
			.defaultStatusHandler(HttpStatusCode::isError, (request, response) -> {
			})
			.build();
	}

	ResponseEntity<Map<String, Object>> get(String path) {
		return this.rest.get().uri(path).retrieve().toEntity(JSON_OBJECT);
	}

	ResponseEntity<Map<String, Object>> post(String path) {
		return this.rest.post().uri(path).retrieve().toEntity(JSON_OBJECT);
	}

	ResponseEntity<Map<String, Object>> post(String path, Map<String, Object> body) {
		return this.rest.post()
			.uri(path)
			.contentType(MediaType.APPLICATION_JSON)
			.body(body)
			.retrieve()
			.toEntity(JSON_OBJECT);
	}

	/**
	 * {@code value} at a dotted path in a JSON object, e.g.
	 * {@code components.connections.status}.
	 */
	@SuppressWarnings("unchecked")
	static Object at(Map<String, Object> json, String path) {
		Object current = json;
		for (String key : path.split("\\.")) {
			if (!(current instanceof Map<?, ?> map)) {
				return null;
			}
			current = ((Map<String, Object>) map).get(key);
		}
		return current;
	}

}
