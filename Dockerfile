# syntax=docker/dockerfile:1

# zoom-mcp in a container: a static binary on distroless, run as nonroot.
#   docker build -t zoom-mcp --build-arg VERSION=$(git describe --tags --always) .
#   docker run -i --rm -e ZOOM_ACCOUNT_ID -e ZOOM_CLIENT_ID -e ZOOM_CLIENT_SECRET zoom-mcp
#   docker run -i --rm zoom-mcp --sandbox          # no Zoom account needed
# It serves stdio by default (keep -i); see README.md for --http.

# The builder runs on the build machine's platform and cross-compiles, so
# a multi-platform build (docker buildx --platform linux/amd64,linux/arm64)
# needs no emulation.
FROM --platform=$BUILDPLATFORM golang:1.26 AS build
ARG TARGETOS TARGETARCH
ARG VERSION=dev
WORKDIR /src
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download
COPY . .
RUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH \
    go build -trimpath -ldflags "-s -w -X github.com/zoommcp/zoom-mcp/mcpserver.Version=${VERSION}" \
    -o /out/zoom-mcp .

FROM gcr.io/distroless/static-debian12:nonroot
LABEL org.opencontainers.image.title="zoom-mcp" \
      org.opencontainers.image.description="An MCP server for the Zoom REST API" \
      org.opencontainers.image.source="https://github.com/zoommcp/zoom-mcp"
COPY --from=build /out/zoom-mcp /zoom-mcp
USER nonroot:nonroot
ENTRYPOINT ["/zoom-mcp"]
