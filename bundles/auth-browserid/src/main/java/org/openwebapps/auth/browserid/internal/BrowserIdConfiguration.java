package org.openwebapps.auth.browserid.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Open Web Apps BrowserID verification",
        description = "How BrowserID assertions are verified: locally (the default) or by a remote verifier")
@interface BrowserIdConfiguration {

    @AttributeDefinition(description = "Issuers trusted to vouch for any email domain (and to certify unverified emails)")
    String[] trusted_issuers() default {};

    @AttributeDefinition(description = "The IdP that vouches for domains without BrowserID support; empty: none")
    String fallback_issuer() default "";

    @AttributeDefinition(description = "Tolerance on expiry and issue times, in seconds")
    int clock_skew_seconds() default 30;

    @AttributeDefinition(description = "Accept RS64 (512-bit RSA) keys. Tests only")
    boolean allow_weak_keys() default false;

    @AttributeDefinition(description = "A remote verifier to ask instead of verifying locally (v1 form, or v2 JSON"
            + " when the path ends in /v2); empty: verify locally")
    String verifier_url() default "";

    @AttributeDefinition(description = "Deadline of a support document fetch or a remote verification, in milliseconds"
            + " (the outbound fetcher, org.openwebapps.fetch, caps it and holds the address rules)")
    int fetch_timeout_ms() default 5000;

    @AttributeDefinition(description = "How long a support document is cached, in seconds")
    int cache_seconds() default 3600;

    @AttributeDefinition(description = "How long a failed support document fetch is cached, in seconds")
    int cache_failure_seconds() default 10;

    @AttributeDefinition(description = "Most support documents cached")
    int cache_size() default 1000;

    @AttributeDefinition(description = "Most authority delegations followed for one domain")
    int max_delegations() default 5;
}
