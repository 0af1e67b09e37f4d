package dev.tokenbench.run;

import io.vertx.core.net.ProxyOptions;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class ProxySettingsTest {
    @Test
    void httpsTargetsUseHttpsProxyUnlessNoProxyMatches() {
        Map<String, String> env = Map.of("HTTPS_PROXY", "http://user:pw@proxy.corp:3128",
                "no_proxy", "internal.example, .openai.azure.com,localhost:8080");
        ProxyOptions p = ProxySettings.forUrl("https://api.openai.com/v1", env::get);
        assertEquals("proxy.corp", p.getHost());
        assertEquals(3128, p.getPort());
        assertEquals("user", p.getUsername());
        assertNull(ProxySettings.forUrl("https://my.openai.azure.com", env::get));
        assertNull(ProxySettings.forUrl("https://internal.example/v1", env::get));
        assertNull(ProxySettings.forUrl("https://a.internal.example/v1", env::get));
    }

    @Test
    void loopbackAndPlainHttpWithoutHttpProxyGoDirect() {
        Map<String, String> env = Map.of("HTTPS_PROXY", "proxy:8443");
        assertNull(ProxySettings.forUrl("http://127.0.0.1:8000/v1", env::get));
        assertNull(ProxySettings.forUrl("http://vllm.lan:8000/v1", env::get));
        assertEquals(8443, ProxySettings.forUrl("https://api.anthropic.com", env::get).getPort());
    }
}
