// The API's docs page: Swagger UI over our OpenAPI. No validator badge (it would call an outside host), and the
// pasted key is kept in the browser (persistAuthorization) so it survives a reload.
(function () {
  var element = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: element.dataset.openapiUrl,
    domNode: element,
    deepLinking: true,
    persistAuthorization: true,
    validatorUrl: null,
    tryItOutEnabled: false,
    displayRequestDuration: true,
    docExpansion: "list",
    defaultModelsExpandDepth: 0,
  });
})();
