package dev.tokenbench.api;

import jakarta.ws.rs.NameBinding;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * On a REST resource class: its endpoints pass through {@link BearerTokenFilter}, which applies {@link ApiAuth}'s
 * rule (a token for anything that starts or stores a run; for reads only with tokenbench.serve.read-requires-token).
 * BearerTokenTest fails for a resource class without it.
 */
@NameBinding
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface BearerToken {
}
