# One image for the whole platform: the `contest` binary runs as operator (`manager`),
# exam web app (`web`), ranking Job (`rank`) and organizer tools. Templates and static
# assets are embedded in the binary, so the runtime image needs nothing else.

FROM golang:1.26 AS build
WORKDIR /src
# Dependencies first, so code changes reuse the cached module download.
COPY go.mod go.sum ./
RUN go mod download
COPY . .
# Static binary (no cgo), reproducible paths; tzdata is embedded by main.go.
RUN CGO_ENABLED=0 GOOS=linux go build -trimpath -ldflags="-s -w" -o /out/contest .

# distroless/static:nonroot: no shell, no package manager, CA certificates included, runs as
# UID 65532. A static Go binary needs nothing more, and there is nothing else to patch.
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/contest /contest
USER 65532:65532
EXPOSE 8080 8081 8443
ENTRYPOINT ["/contest"]
CMD ["--help"]
