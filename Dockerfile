# The gatewarden CLI as a container image for CI. Build: docker build -t gatewarden .
# Run (the entry point is the CLI; /work is the working folder, mount yours there):
#   docker run --rm -v "$PWD:/work" gatewarden check-plan /work/plan.json --format sarif > gatewarden.sarif
# The image runs as a non-root user (65532), which may not write into a mounted folder: redirect stdout as above,
# or add --user "$(id -u):$(id -g)" to use --out.

# 1. Build: the dev toolchain (TypeScript) compiles dist/, and `npm pack` makes the same tarball users install.
FROM node:24-slim AS build
WORKDIR /src
# The whole context (.dockerignore lets through only what packing needs): npm ci's prepare already compiles.
COPY . .
RUN npm ci --no-audit --no-fund \
  && npm pack --pack-destination /tmp \
  && mv /tmp/gatewarden-*.tgz /tmp/gatewarden.tgz

# 2. Install: the packed files plus production dependencies only, at the versions package-lock.json pins.
FROM node:24-slim AS install
WORKDIR /app
COPY --from=build /tmp/gatewarden.tgz /tmp/gatewarden.tgz
COPY package-lock.json ./
RUN tar -xzf /tmp/gatewarden.tgz --strip-components=1 \
  && npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
  && rm -rf /tmp/gatewarden.tgz /root/.npm

# 3. Run: Node alone (no shell, no npm, no compiler), as a non-root user; Debian 13, as node:24-slim above.
FROM gcr.io/distroless/nodejs24-debian13:nonroot
COPY --from=install /app /app
USER 65532:65532
WORKDIR /work
ENTRYPOINT ["/nodejs/bin/node", "/app/bin/gatewarden.js"]
CMD ["--help"]
