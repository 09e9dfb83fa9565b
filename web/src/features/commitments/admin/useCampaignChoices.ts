// The central tasks and carriers a unit's commitment may link to, from the
// campaign's workspace for that unit (features/campaigns).
import { ref } from 'vue'
import { campaignsAdminApi } from '../../campaigns/api'
import type { Workspace } from '../../campaigns/types'

export function useCampaignChoices() {
  const workspace = ref<Workspace | null>(null)
  const error = ref<unknown>(null)

  async function load(campaignId: string, unitCode: string): Promise<void> {
    workspace.value = null
    error.value = null
    if (!campaignId || !unitCode) return
    try {
      workspace.value = await campaignsAdminApi.workspace(campaignId, unitCode)
    } catch (e) {
      error.value = e
    }
  }

  return { workspace, error, load }
}
