// Scaffolds a package: node scripts/new-package.mjs <dir> <name> "<description>" [browser]
import { mkdirSync, writeFileSync, existsSync } from "node:fs";
import { join, relative } from "node:path";

const [dir, name, description, flavour] = process.argv.slice(2);
if (!dir || !name) throw new Error("usage: new-package.mjs <dir> <name> <description> [browser]");
const root = relative(dir, ".") || ".";
mkdirSync(join(dir, "src"), { recursive: true });
mkdirSync(join(dir, "test"), { recursive: true });
const write = (file, text) => {
  const path = join(dir, file);
  if (!existsSync(path)) writeFileSync(path, text);
};
const browserSafe = flavour === "browser";
write(
  "package.json",
  JSON.stringify(
    {
      name,
      version: "0.1.0",
      description,
      type: "module",
      license: "MIT",
      repository: { type: "git", url: "git+https://example.invalid/sfs2x-darkrift-toolkit.git", directory: dir },
      engines: { node: ">=20" },
      sideEffects: false,
      files: ["dist", "src", "README.md"],
      main: "./dist/index.js",
      types: "./dist/index.d.ts",
      exports: {
        ".": { "@source": "./src/index.ts", types: "./dist/index.d.ts", default: "./dist/index.js" },
        "./package.json": "./package.json",
      },
      publishConfig: { access: "public" },
      scripts: {
        build: "tsc -p tsconfig.build.json",
        lint: browserSafe
          ? `tsc --noEmit -p tsconfig.json && node ${root}/scripts/check-browser-safe.mjs src`
          : "tsc --noEmit -p tsconfig.json",
        test: "vitest run",
      },
      dependencies: {},
      devDependencies: {},
    },
    null,
    2,
  ) + "\n",
);
write(
  "tsconfig.json",
  JSON.stringify(
    { extends: `${root}/tsconfig.base.json`, compilerOptions: { noEmit: true }, include: ["src", "test", "bench", "*.ts"] },
    null,
    2,
  ) + "\n",
);
write(
  "tsconfig.build.json",
  JSON.stringify(
    {
      extends: "./tsconfig.json",
      compilerOptions: { noEmit: false, rootDir: "src", outDir: "dist", customConditions: [] },
      include: ["src"],
    },
    null,
    2,
  ) + "\n",
);
write(
  "vitest.config.ts",
  `import { packageConfig } from "${root}/vitest.shared.js";\n\nexport default packageConfig();\n`,
);
write("src/index.ts", `export {};\n`);
write("README.md", `# ${name}\n\n${description}\n\n\`\`\`sh\nnpm install ${name}\n\`\`\`\n`);
