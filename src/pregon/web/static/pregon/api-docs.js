// Starts Swagger UI on /api/v1/docs with what the page carries (nothing runs inline: the
// Content-Security-Policy allows scripts from this site only).
(function () {
  "use strict";
  var root = document.getElementById("api-docs");
  var csrfToken = root.dataset.csrfToken;
  window.SwaggerUIBundle({
    url: root.dataset.openapiUrl,
    domNode: root,
    deepLinking: true,
    // Swagger UI would otherwise ask validator.swagger.io to check the document.
    validatorUrl: null,
    presets: [window.SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    // "Try it out" as a signed-in person: unsafe methods need the CSRF token of the session.
    requestInterceptor: function (request) {
      if (csrfToken) {
        request.headers["X-CSRFToken"] = csrfToken;
      }
      return request;
    },
  });
})();
