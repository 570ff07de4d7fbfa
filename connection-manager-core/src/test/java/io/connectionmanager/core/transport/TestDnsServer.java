package io.connectionmanager.core.transport;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.dns.DatagramDnsQuery;
import io.netty.handler.codec.dns.DatagramDnsQueryDecoder;
import io.netty.handler.codec.dns.DatagramDnsResponse;
import io.netty.handler.codec.dns.DatagramDnsResponseEncoder;
import io.netty.handler.codec.dns.DefaultDnsRawRecord;
import io.netty.handler.codec.dns.DnsQuestion;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.handler.codec.dns.DnsSection;

/**
 * A name server on a UDP socket on 127.0.0.1 that records every question. It either never
 * answers ({@link #silent()}), or answers A questions for the names it was given, with a
 * TTL of 0 (AAAA with no records, other names with NXDOMAIN).
 */
public final class TestDnsServer implements AutoCloseable {

	/** One question received: the name (lower case, no trailing dot) and record type. */
	record Question(String name, DnsRecordType type) {
	}

	private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());

	private final Map<String, List<InetAddress>> answers = new ConcurrentHashMap<>();

	private final List<Question> questions = new CopyOnWriteArrayList<>();

	private final boolean answering;

	private final Channel channel;

	private TestDnsServer(boolean answering) {
		this.answering = answering;
		this.channel = new Bootstrap().group(this.group)
			.channel(NioDatagramChannel.class)
			.handler(new ChannelInitializer<DatagramChannel>() {
				@Override
				protected void initChannel(DatagramChannel channel) {
					channel.pipeline()
						.addLast(new DatagramDnsQueryDecoder(), new DatagramDnsResponseEncoder(), new Responder());
				}
			})
			.bind(InetAddress.getLoopbackAddress(), 0)
			.syncUninterruptibly()
			.channel();
	}

	/** Receives queries and never answers any. */
	public static TestDnsServer silent() {
		return new TestDnsServer(false);
	}

	/** Answers the names set with {@link #answer}. */
	public static TestDnsServer answering() {
		return new TestDnsServer(true);
	}

	public InetSocketAddress address() {
		return (InetSocketAddress) this.channel.localAddress();
	}

	/** From now on, A questions for {@code name} get these addresses, in this order. */
	public void answer(String name, String... addresses) {
		List<InetAddress> resolved = new java.util.ArrayList<>();
		for (String address : addresses) {
			try {
				resolved.add(InetAddress.getByName(address)); // IP literals: no lookup
			}
			catch (UnknownHostException ex) {
				throw new IllegalArgumentException(address, ex);
			}
		}
		this.answers.put(normalize(name), List.copyOf(resolved));
	}

	List<Question> questions() {
		return List.copyOf(this.questions);
	}

	long questions(String name, DnsRecordType type) {
		return this.questions.stream()
			.filter((question) -> question.name().equals(name) && question.type().equals(type))
			.count();
	}

	private static String normalize(String name) {
		String lower = name.toLowerCase(Locale.ROOT);
		return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
	}

	@Override
	public void close() {
		this.channel.close().syncUninterruptibly();
		this.group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
	}

	private final class Responder extends SimpleChannelInboundHandler<DatagramDnsQuery> {

		@Override
		protected void channelRead0(ChannelHandlerContext ctx, DatagramDnsQuery query) {
			DnsQuestion question = query.recordAt(DnsSection.QUESTION);
			String name = normalize(question.name());
			TestDnsServer.this.questions.add(new Question(name, question.type()));
			if (!TestDnsServer.this.answering) {
				return;
			}
			DatagramDnsResponse response = new DatagramDnsResponse(query.recipient(), query.sender(), query.id());
			response.setRecursionDesired(query.isRecursionDesired());
			response.setRecursionAvailable(true);
			response.setAuthoritativeAnswer(true);
			response.addRecord(DnsSection.QUESTION, question);
			List<InetAddress> addresses = TestDnsServer.this.answers.get(name);
			if (addresses == null) {
				response.setCode(DnsResponseCode.NXDOMAIN);
			}
			else if (question.type().equals(DnsRecordType.A)) {
				for (InetAddress address : addresses) {
					response.addRecord(DnsSection.ANSWER, new DefaultDnsRawRecord(question.name(), DnsRecordType.A, 0,
							Unpooled.wrappedBuffer(address.getAddress())));
				}
			}
			ctx.writeAndFlush(response);
		}

	}

}
