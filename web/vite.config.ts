/// <reference types="vitest/config" />
import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'
import Components from 'unplugin-vue-components/vite'
import { VantResolver } from '@vant/auto-import-resolver'
import { ElementPlusResolver } from 'unplugin-vue-components/resolvers'
import { vantIconFontFromOwnServer } from './scripts/vant-icon-font'

// Components are imported on demand per single-file component, so the public
// (Vant) chunks never pull in Element Plus; the admin shell imports Element
// Plus' stylesheet itself and is loaded lazily.
export default defineConfig({
  plugins: [
    vantIconFontFromOwnServer(),
    vue(),
    Components({
      dts: false,
      resolvers: [VantResolver(), ElementPlusResolver({ importStyle: false })],
    }),
  ],
  server: {
    host: '127.0.0.1',
    proxy: { '/api': 'http://127.0.0.1:8080' },
  },
  build: {
    outDir: 'dist',
    assetsDir: 'assets',
    chunkSizeWarningLimit: 1200,
  },
  test: {
    environment: 'node',
    include: ['src/**/*.test.ts', 'scripts/**/*.test.ts'],
  },
})
