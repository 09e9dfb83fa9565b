// A console list loaded once when its page mounts: the items, a loading flag
// for v-loading, and a failure shown as a message (the list stays empty).
import { onMounted, ref, type Ref } from 'vue'
import { ElMessage } from 'element-plus'
import { errorText } from './errors'

export function useListOnMount<T>(load: () => Promise<T[]>): { items: Ref<T[]>; loading: Ref<boolean> } {
  const items = ref<T[]>([]) as Ref<T[]>
  const loading = ref(false)
  onMounted(async () => {
    loading.value = true
    try {
      items.value = await load()
    } catch (e) {
      ElMessage.error(errorText(e))
    } finally {
      loading.value = false
    }
  })
  return { items, loading }
}
