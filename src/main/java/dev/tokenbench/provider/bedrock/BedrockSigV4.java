package dev.tokenbench.provider.bedrock;

import dev.tokenbench.provider.PreparedRequest;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * SigV4 for Bedrock, signed by the AWS SDK for Java v2's {@link AwsV4HttpSigner} (service {@code bedrock}), with
 * credentials from an {@link AwsCredentialsProvider} (the default chain unless a test injects one).
 *
 * <p>Credentials are resolved off the event loop: once in {@link #load()} (from {@code beforeRun}), then again
 * on a background thread about every minute, so a provider that refreshes (SSO, instance or container roles)
 * hands over new credentials before the old ones expire; the event loop only reads a volatile snapshot.
 *
 * <p>The signer hashes the body each time it signs. A signature is a pure function of the request, the signing
 * second and the credentials, so the headers of a prepared request are signed at most once per second and reused
 * within it: every request carries exactly the headers a fresh signature would give, and the body is hashed once
 * per second per prepared request rather than once per request. Thread-safe: event loops share it.
 *
 * <p>Nothing here logs, and no message built here holds a credential or a signature.
 */
final class BedrockSigV4 {
    static final String SIGNING_NAME = "bedrock";
    private static final long REFRESH_AFTER_MILLIS = 60_000;
    private static final String HOST = "host";

    private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();
    private final AwsCredentialsProvider provider;
    private final Clock clock;
    private final AtomicBoolean refreshing = new AtomicBoolean();
    /**
     * Keyed by the prepared body array, which each prepared request owns (arrays hash by identity): an entry goes
     * when its prepared request does. Values must not reference the key, or the entry would never go.
     */
    private final Map<byte[], Signed> signedByBody = Collections.synchronizedMap(new WeakHashMap<>());
    private volatile Credentials credentials;
    private ExecutorService refresher;

    private record Credentials(AwsCredentialsIdentity identity, long resolvedAtMillis) {
    }

    private record Signed(long epochSecond, String region, AwsCredentialsIdentity identity,
            Map<String, String> headers) {
    }

    BedrockSigV4(AwsCredentialsProvider provider, Clock clock) {
        this.provider = provider;
        this.clock = clock;
    }

    /** Blocking: resolves credentials now. Throws the provider's exception when there are none. */
    void load() {
        credentials = new Credentials(provider.resolveCredentials(), clock.millis());
    }

    /**
     * Signs a throwaway request, so that the signer's classes load and initialise here, off the event loop, rather
     * than on it in front of the first request.
     */
    void warmUp(String region) {
        sign(new PreparedRequest("POST", "https://bedrock-runtime." + region + ".amazonaws.com/model/warm-up"
                + "/converse-stream", Map.of("content-type", "application/json"), new byte[] {'{', '}'}), region,
                credentials.identity(), Math.floorDiv(clock.millis(), 1000L));
    }

    /**
     * The headers to add to {@code prepared}: X-Amz-Date, X-Amz-Content-Sha256, Authorization, and
     * X-Amz-Security-Token when the credentials have a session token.
     */
    Map<String, String> headers(PreparedRequest prepared, String region) {
        Credentials current = credentials;
        if (current == null) {
            throw new IllegalStateException("SigV4 credentials were not loaded: beforeRun must run first");
        }
        long nowMillis = clock.millis();
        if (nowMillis - current.resolvedAtMillis() >= REFRESH_AFTER_MILLIS) {
            refreshInBackground();
        }
        long epochSecond = Math.floorDiv(nowMillis, 1000L);
        Signed cached = signedByBody.get(prepared.body());
        if (cached != null && cached.epochSecond() == epochSecond && cached.identity() == current.identity()
                && cached.region().equals(region)) {
            return cached.headers();
        }
        Map<String, String> headers = sign(prepared, region, current.identity(), epochSecond);
        signedByBody.put(prepared.body(), new Signed(epochSecond, region, current.identity(), headers));
        return headers;
    }

    private Map<String, String> sign(PreparedRequest prepared, String region, AwsCredentialsIdentity identity,
            long epochSecond) {
        SdkHttpRequest.Builder request = SdkHttpRequest.builder()
                .method(SdkHttpMethod.fromValue(prepared.method()))
                .uri(URI.create(prepared.absoluteUri()));
        for (Map.Entry<String, String> h : prepared.headers().entrySet()) {
            request.putHeader(h.getKey(), h.getValue());
        }
        Clock signingSecond = Clock.fixed(Instant.ofEpochSecond(epochSecond), ZoneOffset.UTC);
        SignedRequest signed = signer.sign(r -> r
                .identity(identity)
                .request(request.build())
                .payload(ContentStreamProvider.fromByteArrayUnsafe(prepared.body()))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, SIGNING_NAME)
                .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                .putProperty(HttpSigner.SIGNING_CLOCK, signingSecond));
        Map<String, String> added = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> h : signed.request().headers().entrySet()) {
            String name = h.getKey().toLowerCase(Locale.ROOT);
            // The client sets Host from the same URL, without the default port, as the signer does.
            if (!name.equals(HOST) && !containsIgnoreCase(prepared.headers(), name) && !h.getValue().isEmpty()) {
                added.put(name, h.getValue().get(0));
            }
        }
        return Collections.unmodifiableMap(added);
    }

    private static boolean containsIgnoreCase(Map<String, String> headers, String lowerCaseName) {
        for (String name : headers.keySet()) {
            if (name.equalsIgnoreCase(lowerCaseName)) {
                return true;
            }
        }
        return false;
    }

    private void refreshInBackground() {
        if (!refreshing.compareAndSet(false, true)) {
            return;
        }
        try {
            refresherThread().execute(() -> {
                try {
                    credentials = new Credentials(provider.resolveCredentials(), clock.millis());
                } catch (RuntimeException keepTheOldOnes) {
                    // Until they expire the old credentials still sign; after that AWS answers 403 with its reason.
                    Credentials old = credentials;
                    credentials = new Credentials(old.identity(), clock.millis());
                } finally {
                    refreshing.set(false);
                }
            });
        } catch (RuntimeException rejected) {
            refreshing.set(false);
        }
    }

    private synchronized ExecutorService refresherThread() {
        if (refresher == null) {
            refresher = Executors.newSingleThreadExecutor(task -> {
                Thread thread = new Thread(task, "tokenbench-aws-credentials");
                thread.setDaemon(true);
                return thread;
            });
        }
        return refresher;
    }
}
