/** The example definition one click away from the empty library (teaches dependsOn + health). */
export const EXAMPLE_FILE_NAME = 'example-web-and-worker.json';

/** Uses the public busybox image; change `image` if your machine cannot reach Docker Hub. */
export const EXAMPLE_DEFINITION_TEXT = `${JSON.stringify(
  {
    family: 'example-web-and-worker',
    networkMode: 'bridge',
    containerDefinitions: [
      {
        name: 'web',
        image: 'busybox:latest',
        memoryReservation: 64,
        essential: true,
        command: [
          'sh',
          '-c',
          'echo serving on 8080; mkdir -p /www; echo hello > /www/index.html; httpd -f -p 8080 -h /www',
        ],
        portMappings: [{ containerPort: 8080, protocol: 'tcp' }],
        environment: [
          { name: 'GREETING', value: 'hello' },
          { name: 'API_TOKEN', value: 'not-a-real-secret' },
        ],
        healthCheck: {
          command: ['CMD-SHELL', 'wget -q -O - http://127.0.0.1:8080/ || exit 1'],
          interval: 5,
          timeout: 2,
          retries: 3,
          startPeriod: 1,
        },
      },
      {
        name: 'worker',
        image: 'busybox:latest',
        memoryReservation: 64,
        essential: false,
        command: ['sh', '-c', 'for i in 1 2 3 4 5; do echo working $i; sleep 1; done'],
        dependsOn: [{ containerName: 'web', condition: 'HEALTHY' }],
      },
    ],
  },
  null,
  2,
)}\n`;
