/**
 * The Baton sample application: a small Spring Boot REST service on {@code baton-spring-boot-starter}.
 *
 * <p>It exports nothing: it is an application, run as an executable jar ({@code java -jar}), on the class
 * path as Spring Boot's launcher runs it, where this descriptor is not read. It is an open module so that,
 * on the module path, Spring can reach its controllers, configuration and properties by reflection.
 */
open module dev.baton.spring.sample {
    requires dev.baton.spring;
    requires spring.beans;
    requires spring.context;
    requires spring.boot;
    requires spring.boot.autoconfigure;
    requires spring.web;
    requires reactor.core;
}
