// Package openapi serves the node's REST API description: the OpenAPI document generated from
// proto/ (Guild's modules merged with the SDK modules the chain runs; scripts/openapigen.sh,
// run by `make proto`) and a Swagger UI, both embedded in the binary, under /swagger/. It also
// lets Guild's REST routes take enum query parameters by name (?state=LEASE_STATE_ACTIVE), as
// the SDK's routes do.
package openapi

import (
	"embed"
	"io/fs"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	gogoproto "github.com/cosmos/gogoproto/proto"
	"github.com/gorilla/mux"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// Document is the generated OpenAPI (Swagger 2.0) document.
//
//go:embed openapi.json
var Document []byte

//go:embed ui
var ui embed.FS

// Prefix is where the UI and the document are served.
const Prefix = "/swagger/"

const index = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Guild REST API</title>
  <link rel="stylesheet" href="swagger-ui.css">
  <link rel="icon" type="image/png" href="favicon-32x32.png" sizes="32x32">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="swagger-ui-bundle.js"></script>
  <script src="swagger-ui-standalone-preset.js"></script>
  <script>
    window.ui = SwaggerUIBundle({
      url: "openapi.json",
      dom_id: "#swagger-ui",
      deepLinking: true,
      presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
      layout: "StandaloneLayout"
    });
  </script>
</body>
</html>
`

// Handler serves the Swagger UI at Prefix and the document at Prefix + "openapi.json".
func Handler() http.Handler {
	assets, err := fs.Sub(ui, "ui")
	if err != nil {
		panic(err) // the embedded tree is fixed at build time
	}
	files := http.StripPrefix(Prefix, http.FileServer(http.FS(assets)))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch strings.TrimPrefix(r.URL.Path, Prefix) {
		case "", "index.html":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			_, _ = w.Write([]byte(index))
		case "openapi.json", "swagger.json":
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write(Document)
		default:
			files.ServeHTTP(w, r)
		}
	})
}

// Register adds the UI and the document to the API server's router (when enabled, as
// app.toml's api.swagger says) and the enum-name translation to every route.
func Register(r *mux.Router, swagger bool) {
	if swagger {
		h := Handler()
		r.Handle(strings.TrimSuffix(Prefix, "/"), http.RedirectHandler(Prefix, http.StatusMovedPermanently))
		r.PathPrefix(Prefix).Handler(h)
	}
	r.Use(EnumNames(GuildEnums()))
}

// GuildEnums maps the value names of every enum in Guild's proto packages (guild.*) to their
// numbers: LEASE_STATE_ACTIVE → 2.
func GuildEnums() map[string]int32 {
	names := map[string]int32{}
	gogoproto.HybridResolver.RangeFiles(func(fd protoreflect.FileDescriptor) bool {
		if strings.HasPrefix(string(fd.Package()), "guild.") {
			addEnums(names, fd.Enums())
			msgs := fd.Messages()
			for i := 0; i < msgs.Len(); i++ {
				addEnums(names, msgs.Get(i).Enums())
			}
		}
		return true
	})
	return names
}

func addEnums(into map[string]int32, enums protoreflect.EnumDescriptors) {
	for i := 0; i < enums.Len(); i++ {
		vals := enums.Get(i).Values()
		for j := 0; j < vals.Len(); j++ {
			into[string(vals.Get(j).Name())] = int32(vals.Get(j).Number())
		}
	}
}

// EnumNames rewrites query parameters of Guild's routes (/guild/…) whose value is an enum
// value name into its number, which is all grpc-gateway v1 accepts for Guild's enums.
func EnumNames(names map[string]int32) mux.MiddlewareFunc {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if strings.HasPrefix(r.URL.Path, "/guild/") && r.URL.RawQuery != "" {
				if q, err := url.ParseQuery(r.URL.RawQuery); err == nil {
					changed := false
					for k, vs := range q {
						for i, v := range vs {
							if n, ok := names[v]; ok {
								vs[i] = strconv.Itoa(int(n))
								changed = true
							}
						}
						q[k] = vs
					}
					if changed {
						r.URL.RawQuery = q.Encode()
					}
				}
			}
			next.ServeHTTP(w, r)
		})
	}
}
