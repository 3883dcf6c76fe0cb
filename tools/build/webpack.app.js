// Shared webpack setup for every app: Nx's app plugin bundles the app and the @crm/* libraries it
// imports into dist/apps/<app>/main.js, leaves npm packages external, and writes a package.json
// with exactly the production dependencies the bundle uses (the Docker image installs only those).
// tsc (not esbuild) compiles, because Nest's dependency injection needs emitDecoratorMetadata.
const { NxAppWebpackPlugin } = require('@nx/webpack/app-plugin');
const { join } = require('node:path');

module.exports = function appWebpackConfig(appDir, name) {
  return {
    output: { path: join(__dirname, '../../dist/apps', name) },
    plugins: [
      new NxAppWebpackPlugin({
        target: 'node',
        compiler: 'tsc',
        main: join(appDir, 'src/main.ts'),
        tsConfig: join(appDir, 'tsconfig.app.json'),
        optimization: false,
        outputHashing: 'none',
        generatePackageJson: true,
        sourceMap: true,
      }),
    ],
  };
};
